package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventRelayTest {

  @Test
  void keepsOnlyTheLastEventsForReplay() {
    EventRelay relay = new EventRelay(3, 100);
    for (int i = 0; i < 5; i++) {
      relay.publish("progress", "{\"n\":" + i + "}");
    }
    assertThat(relay.since(0)).extracting(EventRelay.Event::id).containsExactly(102L, 103L, 104L);
    assertThat(relay.since(102)).extracting(EventRelay.Event::id).containsExactly(103L, 104L);
    assertThat(relay.since(104)).isEmpty();
  }

  @Test
  void unsubscribedListenersHearNothingMore() {
    EventRelay relay = new EventRelay(10, 1);
    List<String> heard = new ArrayList<>();
    Consumer<EventRelay.Event> listener = e -> heard.add(e.name());
    relay.subscribe(listener);
    relay.publish("a", "{}");
    relay.unsubscribe(listener);
    relay.publish("b", "{}");
    assertThat(heard).containsExactly("a");
    assertThat(relay.listenerCount()).isZero();
  }

  @Test
  void anEventIsOneIdOneNameOneDataLine() {
    EventRelay relay = new EventRelay(10, 7);
    assertThat(relay.publish("finished", "{\"result\":\"ok\"}").toWire())
        .isEqualTo("id: 7\nevent: finished\ndata: {\"result\":\"ok\"}\n\n");
    assertThat(relay.latest("finished").id()).isEqualTo(7);
    assertThat(relay.latest("progress")).isNull();
  }
}
