package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.config.TrainingGate;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.Scopes;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import java.util.List;
import java.util.Set;

/**
 * Who may submit {@code finetune_c} and {@code finetune_b} jobs: nobody unless {@code
 * farm.training.finetune-enabled} is on, and then only API keys with the {@code admin} scope (full
 * fine-tuning needs a GPU and many times the model's size in memory). Both refusals are 403 naming
 * {@code kind} and the reason. Other kinds pass.
 */
public final class FinetuneGate {
  private final TrainingGate settings;

  public FinetuneGate(TrainingGate settings) {
    this.settings = settings;
  }

  /** A gate that refuses every fine-tuning job (the default setting). */
  public static FinetuneGate closed() {
    return new FinetuneGate(new TrainingGate(false));
  }

  /** Throws 403 unless a job of {@code p}'s kind may be submitted by a key with {@code scopes}. */
  public void check(JobParams p, Set<String> scopes) {
    JobKind kind = p.kind();
    if (kind == null || !kind.isFinetune()) {
      return;
    }
    if (!settings.finetuneEnabled()) {
      throw forbidden(
          "kind "
              + kind.wire()
              + " is disabled on this farm ("
              + TrainingGate.FINETUNE_ENABLED.name()
              + "=false): full fine-tuning needs a GPU and a lot of memory, so the operator must"
              + " turn it on");
    }
    if (!scopes.contains(Scopes.ADMIN)) {
      throw forbidden(
          "kind "
              + kind.wire()
              + " needs an API key with the 'admin' scope (this key has "
              + Scopes.ordered(scopes)
              + ")");
    }
  }

  private static ApiException forbidden(String m) {
    return new ApiException(403, "forbidden", m, List.of(new FieldError("kind", m)), 0);
  }
}
