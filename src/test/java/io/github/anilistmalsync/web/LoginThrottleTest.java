package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  @Test
  void eachFailureDoublesTheDelayUpToACap() {
    LoginThrottle throttle = new LoginThrottle(100, 60_000, 250);
    assertThat(throttle.failed("a", 0)).isEqualTo(250);
    assertThat(throttle.failed("a", 1)).isEqualTo(500);
    assertThat(throttle.failed("a", 2)).isEqualTo(1000);
    for (int i = 0; i < 30; i++) {
      throttle.failed("a", 3 + i);
    }
    assertThat(throttle.failed("a", 50)).isEqualTo(4000);
  }

  @Test
  void fiveFailuresLockOutThatClientOnlyForTheLockout() {
    LoginThrottle throttle = new LoginThrottle(5, 60_000, 1);
    for (int i = 0; i < 4; i++) {
      throttle.failed("a", 1000);
    }
    assertThat(throttle.lockedFor("a", 1000)).isZero();
    throttle.failed("a", 1000);
    assertThat(throttle.lockedFor("a", 1000)).isEqualTo(60_000);
    assertThat(throttle.lockedFor("b", 1000)).isZero();
    assertThat(throttle.lockedFor("a", 61_000)).isZero();
    throttle.failed("a", 61_000);
    assertThat(throttle.lockedFor("a", 61_000)).as("counting starts over after a lockout").isZero();
  }

  @Test
  void aSuccessForgetsTheFailures() {
    LoginThrottle throttle = new LoginThrottle(2, 60_000, 1);
    throttle.failed("a", 0);
    throttle.succeeded("a");
    throttle.failed("a", 0);
    assertThat(throttle.lockedFor("a", 0)).isZero();
  }

  @Test
  void attemptsAreCountedBeforeTheirPasswordIsCheckedAndOnlyTwoAtATime() {
    LoginThrottle throttle = new LoginThrottle(5, 60_000, 1);
    assertThat(throttle.begin("a", 0)).isZero();
    assertThat(throttle.begin("a", 0)).isZero();
    assertThat(throttle.begin("a", 0)).as("a third parallel attempt waits").isPositive();
    throttle.finish("a", false);
    throttle.finish("a", false);
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.begin("a", 0)).isZero();
      throttle.finish("a", false);
    }
    assertThat(throttle.begin("a", 0)).as("five counted attempts lock the address").isEqualTo(60_000);
    assertThat(throttle.begin("b", 0)).isZero();
    throttle.finish("b", true);
    assertThat(throttle.lockedFor("b", 0)).isZero();
  }
}
