package io.tensd.clinic.web;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/** What the dashboard's browser tests do to a page the live feed keeps re-rendering. */
final class Browser {
    private Browser() { }

    /** The element's text; the live feed may re-render it between finding and reading (stale), so it tries again. */
    static String text(WebDriver browser, String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(By.cssSelector(css)).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    /** The page as rendered, into {@code target/NAME}. */
    static void screenshot(WebDriver browser, String name) throws Exception {
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
