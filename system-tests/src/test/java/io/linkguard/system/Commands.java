package io.linkguard.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the deployment tests check against (docker-compose, kubectl, psql). */
final class Commands {

    private Commands() {
    }

    record Result(int exit, String out) {
    }

    /** @return whether {@code tool} is an executable on the PATH */
    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command to its end (stdin from /dev/null, stderr into the output); fails after two minutes. */
    static Result run(Path dir, Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile("cmd", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish in two minutes");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(command + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command and returns its output; fails the test with that output when it exits non-zero. */
    static String ok(Path dir, Map<String, String> env, List<String> command) {
        Result r = run(dir, env, command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.out());
        }
        return r.out();
    }
}
