package dev.airlock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.event.EventListener;

/**
 * Every application event Airlock publishes, from any thread (request threads included).
 */
@TestComponent
public class RecordedEvents {

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@EventListener
	void on(Object event) {
		if (event.getClass().getName().startsWith("dev.airlock.")) {
			events.add(event);
		}
	}

	public <T> Stream<T> stream(Class<T> type) {
		return events.stream().filter(type::isInstance).map(type::cast);
	}

}
