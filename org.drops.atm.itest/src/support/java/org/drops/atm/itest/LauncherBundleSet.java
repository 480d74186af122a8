package org.drops.atm.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The bundle set of the launcher, read from its single sources of truth: the exported launcher jar
 * (run/target/atm.jar, made from run/atm.bndrun's resolved -runbundles) and the hot-deploy folder
 * (bundles/, every jar of which FileInstall installs and starts). Nothing here lists a bundle by name,
 * so the tests cannot drift from what run/atm starts.
 *
 * <p>Paths come from system properties that failsafe sets (see this module's pom.xml).
 */
public final class LauncherBundleSet {

    public static final String LAUNCHER_JAR_PROPERTY = "atm.launcher.jar";
    public static final String BUNDLES_DIR_PROPERTY = "atm.bundles.dir";

    /** The bnd launcher's own settings in launcher.properties; every other key is a framework property. */
    private static final String LAUNCHER_KEY_PREFIX = "launch.";
    private static final String LAUNCH_BUNDLES = "launch.bundles";
    private static final String EMBEDDED_RUNPATH = "Embedded-Runpath";
    private static final String FRAMEWORK_JAR_PREFIX = "jar/org.apache.felix.framework";

    /** A bundle's identity as its manifest states it. */
    public record BundleIdentity(String symbolicName, String version, boolean fragment, String source) {
        @Override
        public String toString() {
            return symbolicName + " " + version + (fragment ? " (fragment)" : "") + " from " + source;
        }
    }

    private final Path launcherJar;
    private final Path bundlesDir;

    public LauncherBundleSet(Path launcherJar, Path bundlesDir) {
        this.launcherJar = launcherJar;
        this.bundlesDir = bundlesDir;
    }

    public static LauncherBundleSet fromSystemProperties() {
        return new LauncherBundleSet(requiredPath(LAUNCHER_JAR_PROPERTY), requiredPath(BUNDLES_DIR_PROPERTY));
    }

    public Path launcherJar() {
        return launcherJar;
    }

    /** jar: URLs of the bundles the launcher installs itself, in its start order. */
    public List<String> launcherBundleUrls() {
        List<String> urls = new ArrayList<>();
        for (String entry : launcherBundleEntries()) {
            urls.add("jar:" + launcherJar.toUri() + "!/" + entry);
        }
        return urls;
    }

    /** The jars in the hot-deploy folder, as FileInstall finds them. */
    public List<Path> hotDeployedBundles() {
        try (Stream<Path> files = Files.list(bundlesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every bundle run/atm starts: the launcher's and the hot-deployed ones. */
    public List<BundleIdentity> expectedBundles() {
        List<BundleIdentity> bundles = new ArrayList<>();
        try (JarFile jar = new JarFile(launcherJar.toFile())) {
            for (String entry : launcherBundleEntries()) {
                try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
                    bundles.add(identity(in, launcherJar.getFileName() + "!/" + entry));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path bundle : hotDeployedBundles()) {
            try (InputStream in = Files.newInputStream(bundle)) {
                bundles.add(identity(in, bundle.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundles;
    }

    /** The framework properties the launcher starts with (atm.bndrun's -runproperties). */
    public Map<String, String> frameworkProperties() {
        Map<String, String> properties = new TreeMap<>();
        launcherProperties().forEach((key, value) -> {
            if (!key.toString().startsWith(LAUNCHER_KEY_PREFIX)) {
                properties.put(key.toString(), value.toString());
            }
        });
        return properties;
    }

    /** Bundle-Version of the framework embedded in the launcher (atm.bndrun's -runfw). */
    public String frameworkVersion() {
        try (JarFile jar = new JarFile(launcherJar.toFile())) {
            String runpath = jar.getManifest().getMainAttributes().getValue(EMBEDDED_RUNPATH);
            for (String entry : runpath.split(",")) {
                if (entry.trim().startsWith(FRAMEWORK_JAR_PREFIX)) {
                    try (InputStream in = jar.getInputStream(jar.getEntry(entry.trim()))) {
                        return identity(in, entry).version();
                    }
                }
            }
            throw new IllegalStateException("no framework on the Embedded-Runpath of " + launcherJar + ": " + runpath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> launcherBundleEntries() {
        String bundles = launcherProperties().getProperty(LAUNCH_BUNDLES, "");
        List<String> entries = new ArrayList<>();
        for (String entry : bundles.split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.trim());
            }
        }
        return Collections.unmodifiableList(entries);
    }

    private Properties launcherProperties() {
        try (JarFile jar = new JarFile(launcherJar.toFile());
             InputStream in = jar.getInputStream(jar.getEntry("launcher.properties"))) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read launcher.properties from " + launcherJar, e);
        }
    }

    public static BundleIdentity identity(InputStream jar, String source) throws IOException {
        try (JarInputStream in = new JarInputStream(jar)) {
            Manifest manifest = in.getManifest();
            if (manifest == null) {
                throw new IllegalStateException("no manifest in " + source);
            }
            Attributes main = manifest.getMainAttributes();
            String symbolicName = main.getValue("Bundle-SymbolicName");
            if (symbolicName == null) {
                throw new IllegalStateException("not a bundle: " + source);
            }
            String version = main.getValue("Bundle-Version");
            return new BundleIdentity(symbolicName.split(";")[0].trim(), version == null ? "0.0.0" : version.trim(),
                    main.getValue("Fragment-Host") != null, source);
        }
    }

    private static Path requiredPath(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it; see pom.xml)");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + " = " + path + " does not exist: build the run module first");
        }
        return path;
    }
}
