package io.cascadefarm.dispatcher.service;

import java.util.List;

/**
 * One keyset page of a batch's jobs; {@code next} is the {@code after} cursor of the next page,
 * null on the last page.
 */
public record JobPage(List<JobView> jobs, String next) {}
