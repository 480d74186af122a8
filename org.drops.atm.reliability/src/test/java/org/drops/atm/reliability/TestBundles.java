package org.drops.atm.reliability;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Application bundles built at test time, in memory: a manifest and the class files of the given classes, read
 * from the test's own class loader (the Pax Exam probe carries them). A few lines of JarOutputStream instead of
 * TinyBundles, whose 4.0 builder needs ops4j-base-store and bndlib inside the framework.
 */
public final class TestBundles {

    private TestBundles() {
    }

    /**
     * A bundle jar.
     *
     * @param symbolicName Bundle-SymbolicName
     * @param headers      further manifest headers (Bundle-Activator, Import-Package, the test's own ones)
     * @param classes      top-level classes to pack (no nested or anonymous classes: they are not added)
     */
    public static InputStream build(String symbolicName, Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Class<?> c : classes) {
                String path = c.getName().replace('.', '/') + ".class";
                try (InputStream in = c.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IOException("no class file " + path + " in the test's class loader");
                    }
                    jar.putNextEntry(new JarEntry(path));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
