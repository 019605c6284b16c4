package dev.airlock.runtime;

/**
 * Takes the connections sandboxes open to their proxy port. The runtime calls it on a
 * thread of its own per connection; it owns the connection from then on and closes it.
 */
public interface EgressHandler {

	void handle(EgressConnection connection);

}
