using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;

namespace Eval.UnitTests.Notifications;

/// <summary>The pieces of webhook delivery that need no storage: the retry waits, the sealed secrets, the CloudEvent, the ids.</summary>
public sealed class WebhookDeliveryPartsTests
{
    static readonly NotificationOptions Options = new();

    [Fact]
    public void Waits_double_from_the_first_up_to_the_cap_and_jitter_only_shortens_them()
    {
        TimeSpan[] longest = [.. Enumerable.Range(1, 10).Select(a => RetrySchedule.Delay(a, Options, random: 0))];
        TimeSpan[] shortest = [.. Enumerable.Range(1, 10).Select(a => RetrySchedule.Delay(a, Options, random: 0.999999))];

        Assert.Equal(TimeSpan.FromSeconds(30), longest[0]);
        Assert.Equal(TimeSpan.FromSeconds(60), longest[1]);
        Assert.Equal(TimeSpan.FromMinutes(32), longest[6]);
        Assert.Equal(Options.MaxRetryAfter, longest[7]);
        Assert.Equal(Options.MaxRetryAfter, longest[9]);
        for (int i = 0; i < 10; i++)
            Assert.InRange(shortest[i], longest[i] * (1 - RetrySchedule.Jitter) - TimeSpan.FromMilliseconds(1), longest[i]);
        // Below the cap, the shortest wait after an attempt is longer than the longest after the one before.
        for (int i = 1; i < 7; i++) Assert.True(shortest[i] > longest[i - 1], $"attempt {i + 1}");
    }

    [Fact]
    public void Twenty_four_hours_of_retries_take_about_thirty_attempts_not_thousands()
    {
        TimeSpan total = TimeSpan.Zero;
        int attempts = 1;
        while ((total += RetrySchedule.Delay(attempts, Options, 0.5)) <= Options.RetryFor) attempts++;

        Assert.InRange(attempts, 20, 40);
    }

    [Fact]
    public void A_sealed_secret_opens_only_for_its_subscription_and_under_its_key()
    {
        var binding = new OutboxBinding(RandomNumberGenerator.GetBytes(32));
        var sealer = new SecretSealer(binding);
        string secret = WebhookSecret.New(), id = Subscription.NewId();

        string sealedSecret = sealer.Seal(secret, id);

        Assert.DoesNotContain(secret[WebhookSecret.Prefix.Length..], sealedSecret, StringComparison.Ordinal);
        Assert.NotEqual(sealedSecret, sealer.Seal(secret, id)); // a new nonce each time
        Assert.Equal(secret, sealer.Open(sealedSecret, id));
        Assert.Equal(secret, new SecretSealer(binding).Open(sealedSecret, id));
        Assert.ThrowsAny<CryptographicException>(() => sealer.Open(sealedSecret, Subscription.NewId()));
        Assert.ThrowsAny<CryptographicException>(() =>
            new SecretSealer(new OutboxBinding(RandomNumberGenerator.GetBytes(32))).Open(sealedSecret, id));
        char[] tampered = sealedSecret.ToCharArray();
        tampered[^5] = tampered[^5] == 'A' ? 'B' : 'A';
        Assert.ThrowsAny<CryptographicException>(() => sealer.Open(new string(tampered), id));
    }

    [Fact]
    public void The_derived_key_is_not_the_binding_key_and_differs_by_purpose()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        var binding = new OutboxBinding(key);

        Assert.NotEqual(key, binding.DeriveKey("eval/webhook-secrets/v1"));
        Assert.NotEqual(binding.DeriveKey("a"), binding.DeriveKey("b"));
        Assert.Equal(binding.DeriveKey("a"), new OutboxBinding(key).DeriveKey("a"));
    }

    [Fact]
    public void A_secret_is_whsec_and_the_base64_of_32_random_bytes()
    {
        string secret = WebhookSecret.New();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSecret.New());
    }

    [Fact]
    public void The_CloudEvent_carries_the_notification_and_its_data_without_letting_the_data_override_who_it_is_for()
    {
        const string branch = "chifeng.hongshan.t01.b001";
        var n = new Notification("ntf-1", NotificationTypes.Urged, new DateTimeOffset(2026, 5, 1, 9, 30, 0, TimeSpan.FromHours(8)),
            branch, Roles.BranchSecretary, "hongshan-2026", $"campaigns/hongshan-2026/evaluations/{branch}",
            "红山区委组织部催办：请于今日提交自评。",
            new JsonObject { ["by"] = "chifeng.hongshan", ["unit"] = "forged" });

        JsonElement e = JsonDocument.Parse(WebhookSender.EventOf(n, "dlv-x", new Uri("https://eval.example.org/api"))).RootElement;

        Assert.Equal("1.0", e.GetProperty("specversion").GetString());
        Assert.Equal("dlv-x", e.GetProperty("id").GetString());
        Assert.Equal("https://eval.example.org/api", e.GetProperty("source").GetString());
        Assert.Equal(NotificationTypes.Urged, e.GetProperty("type").GetString());
        Assert.Equal(n.Subject, e.GetProperty("subject").GetString());
        Assert.Equal(n.Time, e.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("application/json", e.GetProperty("datacontenttype").GetString());
        JsonElement data = e.GetProperty("data");
        Assert.Equal(n.Unit, data.GetProperty("unit").GetString());
        Assert.Equal(n.Text, data.GetProperty("text").GetString());
        Assert.Equal("chifeng.hongshan", data.GetProperty("by").GetString());
        // Chinese text as itself, not \u escapes.
        Assert.Contains("催办", WebhookSender.EventOf(n, "dlv-x", new Uri("https://eval.example.org/api")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_delivery_id_is_the_same_for_the_same_notification_and_subscription_and_orders_by_time()
    {
        var earlier = new Notification("ntf-a", NotificationTypes.Reminder, new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero),
            "chifeng", Roles.OrgDepartment, null, "s", "t");
        var later = earlier with { Id = "ntf-b", Time = earlier.Time.AddSeconds(1) };
        string subscription = Subscription.NewId();

        Assert.Equal(Delivery.IdOf(earlier, subscription), Delivery.IdOf(earlier, subscription));
        Assert.NotEqual(Delivery.IdOf(earlier, subscription), Delivery.IdOf(earlier, Subscription.NewId()));
        Assert.True(string.CompareOrdinal(Delivery.IdOf(earlier, subscription), Delivery.IdOf(later, subscription)) < 0);
        Assert.True(Delivery.IsValidId(Delivery.IdOf(later, subscription)));
        Assert.True(Subscription.IsValidId(subscription));
        Assert.False(Subscription.IsValidId("sub-../../x"));
    }

    [Fact]
    public void A_subscription_receives_its_types_for_its_unit_and_the_units_below_it()
    {
        var s = new Subscription(Subscription.NewId(), "chifeng.hongshan", "https://relay.example.org/hook",
            [NotificationTypes.Reminder], null, new Actor("o", "组织部", Roles.OrgDepartment), DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow);

        Assert.True(s.Receives(NotificationTypes.Reminder, "chifeng.hongshan"));
        Assert.True(s.Receives(NotificationTypes.Reminder, "chifeng.hongshan.t01.b001"));
        Assert.False(s.Receives(NotificationTypes.Overdue, "chifeng.hongshan.t01.b001"));
        Assert.False(s.Receives(NotificationTypes.Reminder, "chifeng.hongshanx.t01"));
        Assert.False(s.Receives(NotificationTypes.Reminder, "chifeng"));
        Assert.False((s with { DeletedAt = DateTimeOffset.UtcNow }).Receives(NotificationTypes.Reminder, "chifeng.hongshan"));
    }

    [Fact]
    public async Task The_subscription_schema_names_exactly_the_notification_types()
    {
        var schema = JsonNode.Parse((await SchemaCatalog.GetAsync(SchemaCatalog.Subscription)).ToJson())!;
        string[] named = [.. schema["properties"]!["types"]!["items"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>())];

        Assert.Equal(NotificationTypes.All, named);
    }
}
