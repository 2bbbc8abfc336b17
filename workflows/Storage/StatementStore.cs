using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Eval.Workflows.Storage;

/// <summary>A signed list as kept: its version, where its JWS is, and what it seals.</summary>
public sealed record StatementRecord(string CampaignId, int Version, string Blob, string Sha256, string Kid, DateTimeOffset IssuedAt,
    string Reason, int Chains, int CampaignSeq, string AuditRoot);

/// <summary>
/// Signed lists (docs/storage.md, "Statements"): each version's compact JWS in blob container <c>statements</c>
/// (<c>{cid}/{version:D6}-{sha256 prefix}.jws</c>, written before its row and never overwritten), and table Statements:
/// PartitionKey = campaign id, RowKey = 999999 − version, so the newest is the partition's first row. A version is
/// taken by inserting its row: of two issuers only one gets it, and the other issues again on what is then stored.
/// </summary>
public sealed class StatementStore(EvalTables tables, BlobServiceClient blobs)
{
    public const string Container = "statements";
    const int MaxVersion = 999_999;

    Task? containerCreated;

    TableClient Table => tables.Table(EvalTables.Statements);

    BlobContainerClient Blobs => blobs.GetBlobContainerClient(Container);

    /// <summary>Creates the container where it is missing (Azurite); in Azure the infrastructure made it.</summary>
    public Task EnsureContainerAsync() => containerCreated is { IsFaulted: false, IsCanceled: false } created
        ? created : containerCreated = Blobs.CreateIfNotExistsAsync(PublicAccessType.None);

    public static string RowKey(int version) => (MaxVersion - version).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The newest statement of a campaign (one row read), or null before its first.</summary>
    public async Task<StatementRecord?> GetNewestAsync(string campaignId, CancellationToken ct = default)
    {
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}"),
            maxPerPage: 1, cancellationToken: ct))
            return FromEntity(e);
        return null;
    }

    public async Task<StatementRecord?> GetAsync(string campaignId, int version, CancellationToken ct = default)
    {
        if (version is < 1 or > MaxVersion) return null;
        NullableResponse<TableEntity> row =
            await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, RowKey(version), cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The statement issued for <paramref name="reason"/>, if one was (a repeated issue finds it).</summary>
    public async Task<StatementRecord?> FindAsync(string campaignId, string reason, CancellationToken ct = default)
    {
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Reason eq {reason}"), cancellationToken: ct))
            return FromEntity(e);
        return null;
    }

    /// <summary>The JWS of a statement, checked against the SHA-256 its row holds (null when the blob is missing or differs).</summary>
    public async Task<string?> ReadJwsAsync(StatementRecord statement, CancellationToken ct = default)
    {
        try
        {
            BinaryData content = (await Blobs.GetBlobClient(statement.Blob).DownloadContentAsync(ct)).Value.Content;
            byte[] bytes = content.ToArray();
            return Digest(bytes) == statement.Sha256 ? Encoding.ASCII.GetString(bytes) : null;
        }
        catch (RequestFailedException e) when (e.Status == 404) { return null; }
    }

    /// <summary>
    /// Keeps <paramref name="jws"/> as version <paramref name="statement"/>.Version: false when that version was taken
    /// meanwhile (the caller issues again on what is stored then).
    /// </summary>
    public async Task<bool> TryAddAsync(StatementRecord statement, string jws, CancellationToken ct = default)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(jws);
        await Blobs.GetBlobClient(statement.Blob).UploadAsync(new BinaryData(bytes), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = Keys.CompactJws.MediaType },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        }, ct);
        try
        {
            await Table.AddEntityAsync(ToEntity(statement), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            await Blobs.GetBlobClient(statement.Blob).DeleteIfExistsAsync(cancellationToken: ct);
            return false;
        }
    }

    /// <summary>The blob name of a version: unique to its bytes, so a losing issuer never overwrites the winner's.</summary>
    public static string BlobName(string campaignId, int version, string sha256) =>
        $"{campaignId}/{version.ToString("D6", CultureInfo.InvariantCulture)}-{sha256[..16]}.jws";

    public static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static TableEntity ToEntity(StatementRecord s) => new(s.CampaignId, RowKey(s.Version))
    {
        ["Version"] = s.Version,
        ["Blob"] = s.Blob,
        ["Sha256"] = s.Sha256,
        ["Kid"] = s.Kid,
        ["IssuedAt"] = s.IssuedAt,
        ["Reason"] = s.Reason,
        ["Chains"] = s.Chains,
        ["CampaignSeq"] = s.CampaignSeq,
        ["AuditRoot"] = s.AuditRoot,
    };

    static StatementRecord FromEntity(TableEntity e) => new(e.PartitionKey, e.GetInt32("Version") ?? 0, e.GetString("Blob") ?? "",
        e.GetString("Sha256") ?? "", e.GetString("Kid") ?? "", e.GetDateTimeOffset("IssuedAt") ?? default, e.GetString("Reason") ?? "",
        e.GetInt32("Chains") ?? 0, e.GetInt32("CampaignSeq") ?? 0, e.GetString("AuditRoot") ?? "");
}
