using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// The blobs of file evidence (docs/storage.md, "Evidence files"). Clients write and read them through SAS URLs for one
/// blob each: a service SAS where the app holds the account key (Azurite), else a user-delegation SAS from the app's
/// identity, so the bytes never pass through the app except to be checked and hashed once, at completion.
/// </summary>
public sealed class EvidenceBlobs(BlobServiceClient service, TimeProvider clock)
{
    // A user-delegation key may live up to 7 days; one is asked for per day and renewed an hour before it ends.
    static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(1), KeyRenewal = TimeSpan.FromHours(1);

    readonly SemaphoreSlim keyLock = new(1, 1);
    UserDelegationKey? delegationKey;
    Task? containersCreated;

    BlobContainerClient Uploads => service.GetBlobContainerClient(EvidenceContainers.Uploads);

    BlobContainerClient Verified => service.GetBlobContainerClient(EvidenceContainers.Verified);

    /// <summary>Creates both containers where they are missing (Azurite); in Azure the infrastructure made them.</summary>
    /// <remarks>A failed attempt (storage down) is tried again by the next call.</remarks>
    public Task EnsureContainersAsync() => containersCreated is { IsFaulted: false, IsCanceled: false } created
        ? created
        : containersCreated = Task.WhenAll(
            Uploads.CreateIfNotExistsAsync(PublicAccessType.None), Verified.CreateIfNotExistsAsync(PublicAccessType.None));

    /// <summary>
    /// Lets pages at <paramref name="origins"/> PUT uploads and GET files through their SAS URLs (the blob service's CORS
    /// rules), for the web app's uploads straight to storage; the account's other service properties are kept.
    /// </summary>
    public async Task AllowBrowsersAsync(IReadOnlyList<string> origins, CancellationToken ct = default)
    {
        BlobServiceProperties properties = (await service.GetPropertiesAsync(ct)).Value;
        properties.Cors =
        [
            new BlobCorsRule
            {
                AllowedOrigins = string.Join(',', origins),
                AllowedMethods = "GET,HEAD,PUT",
                AllowedHeaders = "content-type,x-ms-*",
                ExposedHeaders = "content-type,content-length,content-disposition,x-ms-*",
                MaxAgeInSeconds = 3600,
            },
        ];
        await service.SetPropertiesAsync(properties, ct);
    }

    /// <summary>A URL that may create the upload blob once, and nothing else, until <paramref name="expiresOn"/>.</summary>
    public Task<Uri> UploadUriAsync(string blobName, DateTimeOffset expiresOn, CancellationToken ct) =>
        SasUriAsync(Uploads.GetBlobClient(blobName), BlobSasPermissions.Create, expiresOn, null, null, ct);

    /// <summary>A URL that reads the verified blob until <paramref name="expiresOn"/>, saved under its file name and type.</summary>
    public Task<Uri> DownloadUriAsync(string blobName, string contentDisposition, string contentType, DateTimeOffset expiresOn,
        CancellationToken ct) =>
        SasUriAsync(Verified.GetBlobClient(blobName), BlobSasPermissions.Read, expiresOn, contentDisposition, contentType, ct);

    /// <summary>
    /// The uploaded blob in one read: its properties, and its bytes when it is a block blob of at most
    /// <paramref name="maxBytes"/> (a larger one is not read); null when nothing was uploaded. The bytes are in a pooled
    /// buffer, given back when the result is disposed: a completion reads a file of up to the size limit, and buffers of
    /// that size allocated per request would keep the garbage collector busy with its large-object heap.
    /// </summary>
    public async Task<UploadedBlob?> ReadUploadAsync(string blobName, long maxBytes, CancellationToken ct)
    {
        try
        {
            using BlobDownloadStreamingResult download =
                (await Uploads.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: ct)).Value;
            BlobDownloadDetails details = download.Details;
            long length = details.ContentLength;
            if (length > maxBytes || details.BlobType != BlobType.Block)
                return new UploadedBlob(details, length, null);
            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                await download.Content.ReadExactlyAsync(buffer.AsMemory(0, (int)length), ct);
                return new UploadedBlob(details, length, buffer);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task DeleteUploadAsync(string blobName, CancellationToken ct) =>
        Uploads.GetBlobClient(blobName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);

    /// <summary>
    /// Copies the checked upload (as at its ETag) into the verified container, where nothing changes it for the
    /// retention period, with the type and name it is served under. Returns the verified blob's ETag. A verified blob
    /// already there (a completion that died after the copy) is kept if its bytes hash to <paramref name="sha256"/>.
    /// </summary>
    public async Task<ETag?> KeepAsync(string blobName, UploadedBlob uploaded, string contentType, string contentDisposition,
        string sha256, CancellationToken ct)
    {
        BlobClient upload = Uploads.GetBlobClient(blobName), verified = Verified.GetBlobClient(blobName);
        // Copy takes the source's properties: unless the client uploaded with them (the slot names them), set them on the
        // upload first, still conditional on the checked bytes.
        ETag source = uploaded.ETag;
        if (uploaded.ContentType != contentType || uploaded.ContentDisposition != contentDisposition)
        {
            var headers = new BlobHttpHeaders { ContentType = contentType, ContentDisposition = contentDisposition };
            source = (await upload.SetHttpHeadersAsync(headers, new BlobRequestConditions { IfMatch = uploaded.ETag }, ct)).Value.ETag;
        }
        try
        {
            CopyFromUriOperation copy = await verified.StartCopyFromUriAsync(upload.Uri, new BlobCopyFromUriOptions
            {
                SourceConditions = new BlobRequestConditions { IfMatch = source },
                DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
            // A copy within the account is usually done when it answers, and then its answer carries the copy's ETag.
            Response started = copy.GetRawResponse();
            if (started.Headers.TryGetValue("x-ms-copy-status", out string? status) && status == "success"
                && started.Headers.ETag is { } copied)
                return copied;
            await copy.WaitForCompletionAsync(ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode != BlobErrorCode.SourceConditionNotMet)
        {
            if (await HashAsync(blobName, ct) is not (var kept, _) || kept != sha256) return null;
        }
        return (await verified.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
    }

    /// <summary>The verified blob's ETag, or null when it is gone.</summary>
    public async Task<ETag?> VerifiedETagAsync(string blobName, CancellationToken ct)
    {
        try
        {
            return (await Verified.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// How the kept blob differs from the verified file, given the blob's ETag now (null: no blob), as "is missing …" or
    /// "was changed …"; null when it does not. Only a blob written since (another ETag) is read and hashed again: a
    /// write of properties alone changes the ETag and not the bytes.
    /// </summary>
    public async Task<string?> DifferenceAsync(EvidenceFile file, ETag? etag, CancellationToken ct)
    {
        if (etag is not { } current) return "is missing from storage";
        if (current.ToString() == file.BlobETag) return null;
        string? now = (await HashAsync(file.BlobName, ct))?.Sha256;
        return now == file.Sha256 ? null : $"was changed after it was verified (sha256 {now}, recorded {file.Sha256})";
    }

    /// <summary>The SHA-256 (lower-case hex) of the verified blob as stored now, and its ETag; null when it is gone.</summary>
    public async Task<(string Sha256, ETag ETag)?> HashAsync(string blobName, CancellationToken ct)
    {
        try
        {
            BlobDownloadStreamingResult download =
                (await Verified.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: ct)).Value;
            await using Stream content = download.Content;
            byte[] hash = await SHA256.HashDataAsync(content, ct);
            return (Convert.ToHexStringLower(hash), download.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The ETag of every verified blob of the campaign, by blob name (a listing: pages of up to 5,000).</summary>
    public async Task<IReadOnlyDictionary<string, ETag>> VerifiedETagsAsync(string campaignId, CancellationToken ct)
    {
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        try
        {
            await foreach (BlobItem blob in Verified.GetBlobsAsync(new GetBlobsOptions { Prefix = campaignId + "/" }, ct))
                etags[blob.Name] = blob.Properties.ETag ?? default;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // No file was ever uploaded here.
        }
        return etags;
    }

    async Task<Uri> SasUriAsync(BlobClient blob, BlobSasPermissions permissions, DateTimeOffset expiresOn, string? contentDisposition,
        string? contentType, CancellationToken ct)
    {
        var sas = new BlobSasBuilder(permissions, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            // Allows for clocks a little behind the service's.
            StartsOn = clock.GetUtcNow().AddMinutes(-5),
            // Azurite serves plain http on this machine; Azure is asked for https only.
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
            ContentDisposition = contentDisposition,
            ContentType = contentType,
        };
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);

        UserDelegationKey key = await DelegationKeyAsync(ct);
        var uri = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) };
        return uri.ToUri();
    }

    async Task<UserDelegationKey> DelegationKeyAsync(CancellationToken ct)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (delegationKey is { } current && current.SignedExpiresOn - now > KeyRenewal) return current;
        await keyLock.WaitAsync(ct);
        try
        {
            if (delegationKey is { } renewed && renewed.SignedExpiresOn - now > KeyRenewal) return renewed;
            delegationKey = (await service.GetUserDelegationKeyAsync(now.AddMinutes(-5), now + KeyLifetime, ct)).Value;
            return delegationKey;
        }
        finally
        {
            keyLock.Release();
        }
    }
}

/// <summary>
/// An uploaded blob as read at completion: its type, length, ETag and, when it was read, its bytes in a pooled buffer
/// (<see cref="Content"/>), given back on <see cref="Dispose"/>.
/// </summary>
public sealed class UploadedBlob(BlobDownloadDetails details, long length, byte[]? buffer) : IDisposable
{
    byte[]? buffer = buffer;

    public BlobType BlobType => details.BlobType;
    public long Length => length;
    public ETag ETag => details.ETag;
    public string? ContentType => details.ContentType;
    public string? ContentDisposition => details.ContentDisposition;
    /// <summary>Whether the bytes were read (a block blob within the size asked for).</summary>
    public bool IsRead => buffer is not null;
    public ReadOnlyMemory<byte> Content => buffer is { } b ? b.AsMemory(0, (int)length) : throw new InvalidOperationException("Not read.");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } b) ArrayPool<byte>.Shared.Return(b);
    }
}
