namespace Eval.Api.Auth;

/// <summary>
/// Keeps development tokens out of production. HS256 tokens (a shared key anyone with the settings can sign with)
/// are refused wherever the process runs in Azure, and the sample key of local.settings.sample.json, which is
/// public, is refused everywhere except in the local host, which says so in code (<see cref="AuthServices.AllowSampleSigningKey"/>).
/// </summary>
public sealed class TokenModeGuard
{
    /// <summary>The key in local.settings.sample.json: in the repository, so it proves nothing about who signed a token.</summary>
    public const string SampleSigningKey = "eval-local-development-signing-key-not-for-production-0001";

    /// <summary>
    /// Set by Azure and not by `func start`: WEBSITE_INSTANCE_ID on App Service plans, WEBSITE_SITE_NAME on every
    /// Azure site, WEBSITE_SKU on every plan ("FlexConsumption" on Flex, which leaves WEBSITE_INSTANCE_ID empty).
    /// Not CONTAINER_NAME, which the Functions host also reads on Consumption: container runtimes set it on
    /// developers' machines too.
    /// </summary>
    public static readonly IReadOnlyList<string> AzureVariables = ["WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME", "WEBSITE_SKU"];

    readonly Func<string, string?> environment;

    /// <param name="sampleSigningKeyAllowed">Only the local host passes true.</param>
    /// <param name="environment">Reads an environment variable; the process's own when null (tests pass their own).</param>
    public TokenModeGuard(bool sampleSigningKeyAllowed, Func<string, string?>? environment = null)
    {
        SampleSigningKeyAllowed = sampleSigningKeyAllowed;
        this.environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public bool SampleSigningKeyAllowed { get; }

    public bool RunsInAzure => AzureVariables.Any(name => !string.IsNullOrEmpty(environment(name)));

    /// <summary>Throws when <paramref name="options"/> select a token mode this process must not run in.</summary>
    public void Check(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.MetadataAddress)) return;

        if (RunsInAzure)
            throw new InvalidOperationException(
                "Setting 'Auth:MetadataAddress' (Auth__MetadataAddress) must be set in Azure: this app runs there and would " +
                "otherwise accept HS256 development tokens, which are for local use only.");
        if (options.SigningKey == SampleSigningKey && !SampleSigningKeyAllowed)
            throw new InvalidOperationException(
                "Setting 'Auth:SigningKey' is the sample key from local.settings.sample.json, which only the local host " +
                "(./eval up) accepts: set a key of your own (Auth__SigningKey, at least 32 bytes) in local.settings.json.");
    }
}
