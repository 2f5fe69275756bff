package io.storeman.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.storeman.support.Fixtures.Account;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser tests' one headless Chromium, as a JUnit 5 extension:
 * {@code @RegisterExtension static final Chromium browser = new Chromium("prefix");}. Debian's Chromium is driven
 * through Debian's chromedriver, both given by path (Selenium cannot download drivers here); it starts once per test
 * class and quits after it, and every test begins with no cookies, the window's own viewport and an empty console.
 * A test is skipped only when Chromium itself is absent; a missing driver fails it.
 *
 * <p>Screenshots: each page at a laptop's size (1280 x 800) and a phone's (390 x 844), into
 * {@code target/screenshots/<prefix>-NN-<name>-<width>.png}; a page taller than the screen is also saved whole
 * ({@code -<width>-full}). The viewport is left at the laptop size.
 */
public final class Chromium implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    public static final Dimension LAPTOP = new Dimension(1280, 800);
    public static final Dimension PHONE = new Dimension(390, 844);
    private static final Path BINARY = Path.of(System.getProperty("storeman.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("storeman.chromedriver", "/usr/bin/chromedriver"));
    private static final int FULL_PAGE_LIMIT = 4000;

    private final String prefix;
    private WebDriver driver;
    private WebDriverWait wait;
    private int shots;

    public Chromium(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
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
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    /** A fresh start for each test of the class: signed out everywhere, unemulated viewport, console read. */
    @Override
    public void beforeEach(ExtensionContext context) {
        cdp("Network.clearBrowserCookies", Map.of());
        cdp("Emulation.clearDeviceMetricsOverride", Map.of());
        driver.get("about:blank");
        driver.manage().logs().get(LogType.BROWSER);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits (up to 15 s) for the page to meet {@code condition}. */
    public <T> T until(Function<? super WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** Opens {@code path} (no leading slash) of the application under test. */
    public void open(String path) {
        driver.get(RestAssured.baseURI + ":" + RestAssured.port + "/" + path);
    }

    /** Replaces the text of the field with this id. */
    public void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    /** The button whose text is {@code label}. */
    public WebElement button(String label) {
        return driver.findElement(By.xpath("//button[normalize-space()='" + label + "']"));
    }

    /** The trimmed text of the element, once it is visible. */
    public String text(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator)).getText().trim();
    }

    /** Signs in through the sign-in form and waits for the account page. */
    public void signIn(Account account) {
        open("users/sign_in");
        submitSignIn(account.email(), account.password());
        wait.until(ExpectedConditions.urlMatches(".*/account$"));
    }

    /** Fills in and sends the sign-in form of the page the browser is on; does not wait for its answer. */
    public void submitSignIn(String email, String password) {
        type("email", email);
        type("password", password);
        button("Sign in").click();
    }

    /** Fills in and sends the sign-up form; does not wait for its answer. */
    public void signUp(String email, String password) {
        open("users/sign_up");
        type("email", email);
        type("password", password);
        type("password_confirmation", password);
        button("Sign up").click();
    }

    /** The page at both sizes. */
    public void screenshot(String name) {
        screenshot(name, size -> {
        });
    }

    /** The page at both sizes, with {@code check} run at each size once the viewport has it. */
    public void screenshot(String name, Consumer<Dimension> check) {
        String base = String.format("%s-%02d-%s", prefix, ++shots, name);
        for (Dimension size : List.of(LAPTOP, PHONE)) {
            viewport(size);
            save(base + "-" + size.getWidth());
            long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
            if (height > size.getHeight()) {
                viewport(new Dimension(size.getWidth(), (int) Math.min(height, FULL_PAGE_LIMIT)));
                save(base + "-" + size.getWidth() + "-full");
                viewport(size);
            }
            check.accept(size);
        }
        viewport(LAPTOP);
    }

    /**
     * Makes the page's viewport exactly {@code size}, as a screen of that size shows it (a phone's narrow one as a
     * phone does, with overlay scrollbars): the window's size would include the browser's frame and scrollbar.
     */
    public void viewport(Dimension size) {
        cdp("Emulation.setDeviceMetricsOverride", Map.of(
                "width", size.getWidth(), "height", size.getHeight(), "deviceScaleFactor", 1,
                "mobile", size.getWidth() < 600));
    }

    /** Whether the page is wider than its viewport, so that it scrolls sideways. */
    public boolean overflowsSideways() {
        return (Boolean) script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }

    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * The pages loaded their stylesheet and script under the content security policy, without script errors, since
     * the test began. Pages with a 4xx status visited on purpose are logged as failed loads; those are expected.
     */
    public void assertNoConsoleErrors() {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("the server responded with a status of 4"))
                .toList();
        assertFalse(errors.stream().anyMatch(e -> e.getMessage().contains("Content Security Policy")),
                errors.toString());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    private void cdp(String command, Map<String, Object> parameters) {
        ((ChromiumDriver) driver).executeCdpCommand(command, parameters);
    }

    private void save(String name) {
        try {
            Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
