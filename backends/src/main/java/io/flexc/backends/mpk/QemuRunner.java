package io.flexc.backends.mpk;

import io.flexc.layout.Templates;

/**
 * The script that runs an MPK program where protection keys exist: this machine's CPU may lack
 * them, QEMU's software emulation ({@code -cpu max}) has them. The script packs the static program
 * with busybox into an initramfs, boots the installed Debian kernel, runs the program with the
 * script's arguments and passes on its exit status, read back from the serial console. Its text
 * is the template group {@code qemu/run-in-qemu.stg}, a resource beside this class.
 */
public final class QemuRunner {

  public static final String SCRIPT = "run-in-qemu.sh";

  private QemuRunner() {}

  public static String script(String program) {
    return Templates.group(QemuRunner.class, "qemu/run-in-qemu.stg").render("script", "program", program,
        "script", SCRIPT);
  }
}
