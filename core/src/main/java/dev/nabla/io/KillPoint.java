package dev.nabla.io;

/**
 * Named moments at which a process can be made to stop and wait, so that a test can kill it exactly there (between
 * writing a file and renaming it, between the two renames of a folder swap). Off unless the environment variable
 * {@value #VARIABLE} names the point: then the process prints {@code PAUSED AT <name>} and sleeps until killed.
 */
public final class KillPoint {
    /** The environment variable naming the point to pause at. */
    public static final String VARIABLE = "NABLA_PAUSE_AT";
    private static final String AT = System.getenv(VARIABLE);

    private KillPoint() {
    }

    /** Pauses here if {@value #VARIABLE} is {@code name}; otherwise returns at once. */
    public static void reach(String name) {
        if (AT == null || !AT.equals(name)) {
            return;
        }
        System.out.println("PAUSED AT " + name);
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
