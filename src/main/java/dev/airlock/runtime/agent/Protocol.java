package dev.airlock.runtime.agent;

/** The constants of the agent protocol, versions 1 to 4 ({@code agent/PROTOCOL.md}). */
final class Protocol {

	/**
	 * The oldest version offered: an agent from before {@code RESOLVE} speaks only it.
	 */
	static final int MIN_VERSION = 1;

	/**
	 * The newest version offered: 2 is 1 plus {@code RESOLVE}, 3 is 2 plus {@code ACCEPT}
	 * and the egress port in {@code HELLO_OK}, 4 is 3 plus {@code DEFAULTS}.
	 */
	static final int VERSION = 4;

	static final int MAGIC_0 = 0xA1;

	static final int MAGIC_1 = 0x7E;

	static final int HEADER = 12;

	static final int MAX_PAYLOAD = 65536;

	/**
	 * Bytes written before a HELLO on a reconnect: they finish any half-written frame.
	 */
	static final int FLUSH = MAX_PAYLOAD + HEADER;

	static final int END = 1;

	static final int HELLO = 0x01;

	static final int HELLO_OK = 0x02;

	static final int HEARTBEAT = 0x03;

	static final int MAIN_EXITED = 0x04;

	static final int EXEC = 0x10;

	static final int STARTED = 0x11;

	static final int STDIN = 0x12;

	static final int STDOUT = 0x13;

	static final int STDERR = 0x14;

	static final int EXIT = 0x15;

	static final int CANCEL = 0x16;

	static final int WINDOW = 0x17;

	static final int ERROR = 0x18;

	static final int PART = 0x19;

	static final int DEFAULTS = 0x1A;

	/** The largest request, split into PART frames when over one frame. */
	static final int MAX_REQUEST = 16 << 20;

	static final int WRITE = 0x20;

	static final int DATA = 0x21;

	static final int OK = 0x22;

	static final int READ = 0x23;

	static final int FILE_INFO = 0x24;

	static final int LIST = 0x25;

	static final int ENTRIES = 0x26;

	static final int DELETE = 0x27;

	static final int RESOLVE = 0x28;

	static final int RESOLVED = 0x29;

	static final int LOGS = 0x30;

	static final int LOG = 0x31;

	static final int ACCEPT = 0x40;

	static final int ACCEPTED = 0x41;

	private Protocol() {
	}

	/** Whether frames of this type carry data that consumes flow-control credit. */
	static boolean consumesCredit(int type) {
		return type == STDIN || type == STDOUT || type == STDERR || type == DATA || type == LOG;
	}

	/** The agent's error codes. */
	enum Failure {

		NOT_FOUND(1), NOT_A_DIRECTORY(2), NOT_A_FILE(3), PERMISSION_DENIED(4), READ_ONLY(5), NO_SPACE(6), NO_MEMORY(7),
		PATH_REFUSED(8), TOO_LARGE(9), LIMIT(10), INVALID(11), CANCELLED(12), TIMEOUT(13), TOO_MANY(14), PROTOCOL(15),
		VERSION(16), IN_USE(17), IO(18), INTERNAL(99);

		private final int code;

		Failure(int code) {
			this.code = code;
		}

		static Failure of(int code) {
			for (var failure : values()) {
				if (failure.code == code) {
					return failure;
				}
			}
			return INTERNAL;
		}

	}

}
