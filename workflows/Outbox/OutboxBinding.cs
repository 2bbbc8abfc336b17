using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;

namespace Eval.Workflows.Outbox;

/// <summary>
/// Binds each kept event to the claim that wrote it: an HMAC-SHA256, under a key only the app holds, over the campaign,
/// the branch (or "campaign" for the campaign's own request), the claim and the event's canonical JSON, stored with the
/// entry. Whatever raises a kept event again takes only entries whose MAC holds: someone who can write the tables but not
/// read the key cannot slip an event into a record's outbox and have it applied as a decision.
/// </summary>
public sealed class OutboxBinding
{
    /// <summary>The local host's key file (in <see cref="KeyOptions.Directory"/>), made on first use.</summary>
    public const string KeyFile = "outbox-binding.key";

    public const int MinKeyBytes = 32;

    /// <summary>What a campaign's own request (its publication) is bound under, in place of a branch.</summary>
    public const string CampaignScope = "campaign";

    readonly byte[] key;

    public OutboxBinding(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes) throw new ArgumentException($"An outbox binding key has at least {MinKeyBytes} bytes.", nameof(key));
        this.key = [.. key];
    }

    /// <summary>
    /// The key from setting Outbox:BindingKey (base64, at least 32 bytes); without it, the local key file when
    /// <paramref name="localKeys"/> is given (the local host), else none: the host refuses to start.
    /// </summary>
    public static OutboxBinding FromSettings(string? configuredKey, LocalKeyDirectory? localKeys)
    {
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(configuredKey.Trim()); }
            catch (FormatException) { throw new InvalidOperationException(Invalid); }
            return bytes.Length >= MinKeyBytes ? new OutboxBinding(bytes) : throw new InvalidOperationException(Invalid);
        }
        if (localKeys is null)
            throw new InvalidOperationException(
                "Setting 'Outbox:BindingKey' (Outbox__BindingKey) must be set in Azure: 32 random bytes or more, in base64, " +
                "kept for good (an entry bound under another key is not raised again). See docs/deploy.md.");
        return new OutboxBinding(localKeys.GetOrCreate(KeyFile, () => RandomNumberGenerator.GetBytes(MinKeyBytes)));
    }

    const string Invalid = "Setting 'Outbox:BindingKey' (Outbox__BindingKey) is not base64 of at least 32 bytes.";

    /// <summary>
    /// A key of its own for another purpose (HKDF-SHA256 of this key, with the purpose as its info): the app's one secret
    /// that is kept for good, in Key Vault in Azure, seals other secrets without a second one to provision and rotate.
    /// </summary>
    public byte[] DeriveKey(string purpose, int length = 32) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, length, info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>The action with its MAC.</summary>
    public AcceptedAction Bind(string campaignId, string branchId, AcceptedAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action with { Mac = MacOf(campaignId, branchId, action.Claim, action.HumanStep.OutboxName, action.Step) };
    }

    /// <summary>Whether the action's MAC is the one its campaign, branch, claim and event give.</summary>
    public bool Holds(string campaignId, string branchId, AcceptedAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Matches(action.Mac, MacOf(campaignId, branchId, action.Claim, action.HumanStep.OutboxName, action.Step));
    }

    /// <summary>An urging or extension kept on an evaluation's record, with its MAC.</summary>
    public PendingSupervision Bind(string campaignId, string branchId, Supervision action) =>
        new(action, MacOf(campaignId, branchId, "supervision:" + action.Id, action.Kind, action));

    /// <summary>Whether a kept urging or extension was written by the API (its MAC holds).</summary>
    public bool Holds(string campaignId, string branchId, PendingSupervision pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return Matches(pending.Mac, Bind(campaignId, branchId, pending.Action).Mac!);
    }

    /// <summary>The MAC of a campaign's publication request, claimed by <paramref name="operation"/> (null without a key).</summary>
    public string Bind(string campaignId, string? operation, PublicationRequested request) =>
        MacOf(campaignId, CampaignScope, "publication#op=" + operation, "publication", request);

    public bool Holds(string campaignId, string? operation, PublicationRequested request, string? mac) =>
        Matches(mac, Bind(campaignId, operation, request));

    /// <summary>The MAC of an honour change's decision, as the API stored it on the change's row.</summary>
    public string Bind(string campaignId, string branchId, string changeId, HonourChangeDecision decision) =>
        MacOf(campaignId, branchId, "honour-change:" + changeId, "decision", decision);

    /// <summary>Whether the change holds a decision the API wrote (one whose MAC holds).</summary>
    public bool HoldsDecision(HonourChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Decision is { } d && Matches(change.DecisionMac, Bind(change.CampaignId, change.BranchId, change.Id, d));
    }

    string MacOf<T>(string campaignId, string scope, string claim, string kind, T e)
    {
        JsonNode? node = JsonSerializer.SerializeToNode(e, e!.GetType(), JsonSerializerOptions.Web);
        string text = AuditContent.Canonical(new JsonArray(campaignId, scope, claim, kind, node));
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }

    static bool Matches(string? mac, string expected) =>
        mac is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(expected));
}
