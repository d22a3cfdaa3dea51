package io.tensd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium (Debian package {@code chromium}) and checks the page actually
 * draws: the charts' colours are on the screenshot. Skipped where Chromium is not installed.
 */
class ReportScreenshotTest {
    @TempDir
    Path tmp;

    @Test
    void chromiumDrawsTheChartsOfTheReport() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "chromium not installed (apt-get install -y chromium)");
        SessionRecord r = SessionRecord.load(SyntheticSession.write(tmp.resolve("s")));
        Path html = tmp.resolve("report.html");
        Files.writeString(html, HtmlReport.render(r, ReportFigures.of(r, 20), "test"));
        Path png = tmp.resolve("shot.png");
        Process p = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + tmp.resolve("profile"),
                "--screenshot=" + png, "--window-size=1200,2000", html.toUri().toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish in 60 s");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1200, img.getWidth());
        int white = 0;
        int setBlue = 0;
        int skinRed = 0;
        int slouchShade = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) {
                    white++;
                }
                setBlue += near(rgb, 0x1f5fa8) ? 1 : 0;
                skinRed += near(rgb, 0xc0392b) ? 1 : 0;
                slouchShade += near(rgb, 0xfbdfb3) ? 1 : 0;
            }
        }
        int total = (img.getWidth() / 2) * (img.getHeight() / 2);
        assertTrue(white < total * 0.97, "page is not blank: " + white + " of " + total + " white");
        assertTrue(setBlue > 200, "intensity and flexion lines drawn: " + setBlue);
        assertTrue(skinRed > 100, "skin temperature line drawn: " + skinRed);
        assertTrue(slouchShade > 1000, "slouch band shaded: " + slouchShade);
    }

    private static boolean near(int rgb, int target) {
        int dr = Math.abs(((rgb >> 16) & 0xff) - ((target >> 16) & 0xff));
        int dg = Math.abs(((rgb >> 8) & 0xff) - ((target >> 8) & 0xff));
        int db = Math.abs((rgb & 0xff) - (target & 0xff));
        return dr + dg + db < 40;
    }
}
