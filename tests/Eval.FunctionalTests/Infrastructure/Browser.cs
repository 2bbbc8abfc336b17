using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright (no browser download: `./eval test` installs the package when it is missing),
/// one per test class, with the helpers the web app's tests share: a page at a phone's or a desk's size, a screenshot kept
/// as a test artifact, and an axe scan.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>A phone held upright, the narrowest the app must work at.</summary>
    public static readonly ViewportSize Phone = new() { Width = 360, Height = 740 };

    public static readonly ViewportSize Desk = new() { Width = 1280, Height = 800 };

    /// <summary>Where screenshots are kept: .eval/artifacts/web under the repository, which CI keeps with the logs.</summary>
    public static string Artifacts { get; } = Path.Combine(Repo.Root, ".eval", "artifacts", "web");

    IPlaywright? playwright;
    IBrowser? browser;

    public static string Executable { get; } =
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Debian's chromium is not installed: ./eval test installs it (apt-get install chromium).");

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            // Containers without user namespaces cannot run chromium's sandbox; the pages are our own.
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }

    /// <summary>A new page (its own context: no storage shared with other tests) of the app at <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> OpenAsync(Uri baseUrl, ViewportSize? size = null, string locale = "zh-CN")
    {
        IBrowserContext context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(), ViewportSize = size ?? Desk, Locale = locale, TimezoneId = "Asia/Shanghai",
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>What every page a test reaches gets: a screenshot kept under <paramref name="name"/>, then axe's scan.</summary>
    public static async Task KeepAndScanAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });
        await AssertAccessibleAsync(page);
    }

    /// <summary>Fails with each serious or critical accessibility violation axe finds on the page, and the elements it found.</summary>
    static async Task AssertAccessibleAsync(IPage page)
    {
        AxeResult result = await page.RunAxe();
        string[] serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help}: " +
                string.Join("; ", v.Nodes.Select(n => $"{n.Target} ({n.Html})")))
            .ToArray();
        Assert.True(serious.Length == 0, string.Join(Environment.NewLine, serious));
    }
}
