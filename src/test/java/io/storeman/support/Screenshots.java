package io.storeman.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.ChromiumDriver;

/**
 * A browser test's screenshots, each page at a laptop's size (1280 x 800) and a phone's (390 x 844), into
 * {@code target/screenshots/<prefix>-NN-<name>-<width>.png}; a phone page taller than its screen is also saved
 * whole ({@code -390-full}). The window is left at the laptop size.
 */
public final class Screenshots {

    public static final Dimension LAPTOP = new Dimension(1280, 800);
    public static final Dimension PHONE = new Dimension(390, 844);

    private final WebDriver driver;
    private final String prefix;
    private int count;

    public Screenshots(WebDriver driver, String prefix) {
        this.driver = driver;
        this.prefix = prefix;
    }

    /** The page at both sizes. */
    public void both(String name) {
        String base = String.format("%s-%02d-%s", prefix, ++count, name);
        viewport(driver, LAPTOP);
        save(base + "-1280");
        viewport(driver, PHONE);
        save(base + "-390");
        long height = ((Number) ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollHeight")).longValue();
        if (height > PHONE.getHeight()) {
            viewport(driver, new Dimension(PHONE.getWidth(), (int) Math.min(height, 4000)));
            save(base + "-390-full");
        }
        viewport(driver, LAPTOP);
    }

    /**
     * Makes the page's viewport exactly {@code size}, as a screen of that size shows it (a phone's narrow one as a
     * phone does, with overlay scrollbars): the window's size would include the browser's frame and scrollbar.
     */
    public static void viewport(WebDriver driver, Dimension size) {
        ((ChromiumDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", size.getWidth(), "height", size.getHeight(), "deviceScaleFactor", 1,
                "mobile", size.getWidth() < 600));
    }

    private void save(String name) {
        try {
            Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.createDirectories(Chromium.SCREENSHOTS);
            Files.copy(file, Chromium.SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
