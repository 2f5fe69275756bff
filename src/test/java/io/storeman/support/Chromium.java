package io.storeman.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, both given by path (Selenium cannot download
 * drivers here). A test is skipped only when Chromium itself is absent; a missing driver fails it.
 */
public final class Chromium {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path BINARY = Path.of(System.getProperty("storeman.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("storeman.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** A new headless browser (1280 x 900, English) that also keeps the page console's messages. */
    public static WebDriver start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "Chromium is not installed at " + BINARY + " (apt-get install chromium chromium-driver)");
        assertTrue(Files.isExecutable(DRIVER), "Chromium is installed but chromedriver is missing at "
                + DRIVER + " (apt-get install chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=1280,900", "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Files.createDirectories(SCREENSHOTS);
        return new ChromeDriver(service, options);
    }
}
