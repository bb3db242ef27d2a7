package io.cascadefarm.common.port;

/**
 * Thrown by a {@link Renderer} that stopped because {@link RenderListener#isCancelled()} said so.
 */
public final class RenderCancelledException extends RuntimeException {
  public RenderCancelledException(String message) {
    super(message);
  }
}
