/*
 * What the oracle and the bench peer share: one Debezium engine run in this JVM from a properties
 * file, until SIGTERM (a shutdown hook closes the engine), the caller closing stdin, or a failure;
 * events for the caller as JSON lines on stdout, {"event":"streaming"} once the connector streams
 * (snapshot over). Logs go to stderr.
 */
package tributary.oracle;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.debezium.engine.DebeziumEngine;

final class EngineProcess {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean failed = new AtomicBoolean(false);
    private final AtomicBoolean closing = new AtomicBoolean(false);

    /** The engine's properties; `name` defaults to `defaultName`. */
    static Properties load(String file, String defaultName) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        props.putIfAbsent("name", defaultName);
        return props;
    }

    /** One line on stdout, flushed at once: the caller reads it as it comes. */
    static void event(String json) {
        synchronized (System.out) {
            System.out.println(json);
            System.out.flush();
        }
    }

    /** For the engine's builder: logs a failure and ends run(). */
    DebeziumEngine.CompletionCallback completion() {
        return (success, message, error) -> {
            if (!success) {
                failed.set(true);
                System.err.println("debezium engine failed: " + message);
                if (error != null) error.printStackTrace();
            }
            done.countDown();
        };
    }

    /** Runs the engine (built with completion()) on a thread of its own until it stops; true if it failed. */
    boolean run(DebeziumEngine<?> engine) throws InterruptedException {
        Runnable close = () -> {
            if (done.getCount() == 0 || !closing.compareAndSet(false, true)) return; // stopped already, or stopping
            try {
                engine.close();
                done.await(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException | IllegalStateException e) {
                e.printStackTrace();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(close, "engine-shutdown"));
        daemon("engine-stdin", () -> {
            try {
                while (System.in.read() != -1) { /* the caller closes stdin to stop us */ }
            } catch (IOException ignored) {
                // a broken stdin is a closed one
            }
            close.run();
        });
        daemon("engine-streaming", this::announceStreaming);
        daemon("engine", engine);
        done.await();
        return failed.get();
    }

    /**
     * Prints {"event":"streaming"} once the connector's streaming metrics (JMX, which every Debezium
     * connector registers) say it is connected: from then on a change made in the database is captured.
     */
    private void announceStreaming() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName pattern = new ObjectName("debezium.*:type=connector-metrics,context=streaming,*");
            while (!done.await(50, TimeUnit.MILLISECONDS)) {
                for (ObjectName name : server.queryNames(pattern, null)) {
                    if (Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
                        event("{\"event\":\"streaming\"}");
                        return;
                    }
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
