package dev.rendezvous.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Lays out a repository-like folder whose four app jars run {@link FakeApp}. */
final class FakeApps {

    private FakeApps() {}

    static Path home(Path dir) throws IOException {
        for (App app : App.values()) {
            Path jar = RepoHome.execJar(dir, app);
            Files.createDirectories(jar.getParent());
            Manifest mf = new Manifest();
            mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeApp.class.getName());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
                String entry = FakeApp.class.getName().replace('.', '/') + ".class";
                j.putNextEntry(new JarEntry(entry));
                try (InputStream in = FakeApp.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(j);
                }
                j.closeEntry();
            }
        }
        return dir;
    }
}
