package io.github.anilistmalsync.web;

/**
 * Timings and switches of the web verticle that are not user config. Tests shorten them.
 *
 * @param heartbeatMs interval of the {@code : ping} comment on event streams
 * @param maxFailures failed logins from one address before it is locked out
 * @param lockoutMs how long a lockout lasts
 * @param failureDelayMs delay of the first refused login; doubles with each further failure
 * @param busTimeoutMs how long to wait for another verticle's answer (status, pings, triggers)
 * @param secureCookie whether the session cookie is marked Secure (set when served over https)
 * @param replayEvents how many events are kept for browsers that reconnect
 * @param idleTimeoutMs a connection that sends and receives nothing this long is closed; event streams are kept
 *     busy by their heartbeat, which must be shorter
 */
public record WebTuning(long heartbeatMs, int maxFailures, long lockoutMs, long failureDelayMs, long busTimeoutMs,
    boolean secureCookie, int replayEvents, long idleTimeoutMs) {

  public WebTuning {
    if (heartbeatMs >= idleTimeoutMs) {
      throw new IllegalArgumentException("the event-stream heartbeat (" + heartbeatMs + " ms) must be shorter than "
          + "the idle timeout (" + idleTimeoutMs + " ms), or idle connections close open streams");
    }
  }

  public static WebTuning defaults() {
    return new WebTuning(15_000, 5, 60_000, 250, 1_500, false, 200, 120_000);
  }

  public WebTuning withHeartbeatMs(long ms) {
    return new WebTuning(ms, maxFailures, lockoutMs, failureDelayMs, busTimeoutMs, secureCookie, replayEvents, idleTimeoutMs);
  }

  public WebTuning withFailureDelayMs(long ms) {
    return new WebTuning(heartbeatMs, maxFailures, lockoutMs, ms, busTimeoutMs, secureCookie, replayEvents, idleTimeoutMs);
  }

  public WebTuning withBusTimeoutMs(long ms) {
    return new WebTuning(heartbeatMs, maxFailures, lockoutMs, failureDelayMs, ms, secureCookie, replayEvents, idleTimeoutMs);
  }

  public WebTuning withReplayEvents(int n) {
    return new WebTuning(heartbeatMs, maxFailures, lockoutMs, failureDelayMs, busTimeoutMs, secureCookie, n, idleTimeoutMs);
  }

  public WebTuning withIdleTimeoutMs(long ms) {
    return new WebTuning(heartbeatMs, maxFailures, lockoutMs, failureDelayMs, busTimeoutMs, secureCookie, replayEvents, ms);
  }
}
