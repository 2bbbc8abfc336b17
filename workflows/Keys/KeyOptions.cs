namespace Eval.Workflows.Keys;

/// <summary>
/// Where Eval's keys are (section "Keys"): in Azure, the Key Vault key that signs the published lists (the private key
/// never leaves the vault); on the local host, a directory where each key is created on first use.
/// </summary>
public sealed class KeyOptions
{
    public const string Section = "Keys";

    /// <summary>The local host's key directory (relative to the working directory); ignored when <see cref="VaultKeyId"/> is set.</summary>
    public string Directory { get; set; } = Path.Combine(".eval", "keys");

    /// <summary>The versionless URI of the vault's EC P-256 signing key (https://{vault}.vault.azure.net/keys/{name}).</summary>
    public string? VaultKeyId { get; set; }
}
