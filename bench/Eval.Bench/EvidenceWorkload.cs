using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// Workload E, evidence files: on a campaign whose rubric asks for a file under 民族团结进步, every branch asks for an upload
/// slot, PUTs a 1 MiB PDF straight to storage through its SAS URL and completes the upload (the host reads the blob once
/// to check its kind and hash it), then cites it in its self-assessment. The host's CPU is measured over the uploads
/// alone; the bytes the clients send the host are counted, and the proxy counts the bytes put into and read from blobs.
/// Every answer's SHA-256 is checked against the client's own, and a sample of files is downloaded as a reviewer.
/// </summary>
public static class EvidenceWorkload
{
    const string Hub = "benchevidence";
    const string CampaignId = "bench-evidence";
    public const int FileBytes = 1 << 20;
    /// <summary>Every this-many-th branch's evaluation is read and its file downloaded, as its township reviewer.</summary>
    const int SampleEvery = 50;

    public const string Slot = "POST …/evidence";
    public const string Put = "PUT blob (SAS, to storage)";
    public const string Complete = "POST …/evidence/{eid}/complete";
    public const string Download = "GET …/evidence/{eid} → 302 → blob";
    const string ReadEvaluation = "GET …/evaluations/{branchId}";

    /// <summary>The steps whose latency the report shows, in the order a branch and its reviewer take them.</summary>
    static readonly string[] Steps = [Slot, Put, Complete, Endpoints.SelfAssessment, ReadEvaluation, Download];

    /// <summary>The Chifeng rubric with one file required under the unity criterion.</summary>
    static readonly Rubric FileRubric = ChifengCampaign.Rubric with
    {
        Criteria = [.. ChifengCampaign.Rubric.Criteria
            .Select(c => ChifengCampaign.Rubric.IsUnity(c) ? c with { Evidence = new EvidenceRequirement(true) } : c)],
    };

    public static async Task<WorkloadERecord> RunAsync(BenchOptions options, CountingProxy proxy, string hostLog, Action<string> log,
        string[] azuriteCpuNames)
    {
        proxy.Phase = "E-setup";
        await using HostProcess host = await HostProcess.StartAsync(options.HostDll, proxy.ConnectionString, Hub, hostLog);
        log($"E: local host pid {host.ProcessId} on {host.BaseAddress} (log {hostLog})");
        var campaign = new ProductCampaign(host.BaseAddress, options.Clients, null, log, CampaignId, ProductCampaign.City, "E", FileRubric);
        List<string> branches = await campaign.PrepareAsync(ProductCampaign.Units(options.Branches), options.Publicity);
        await campaign.StartAsync();
        int n = branches.Count;
        await campaign.WaitStageAsync("awaiting-self-assessment", n);
        var secretaries = branches.ToDictionary(b => b, b => ProductCampaign.Token(Roles.BranchSecretary, b, null));
        string Evaluation(string branch) => $"api/campaigns/{CampaignId}/evaluations/{branch}";

        double idleMsPerSecond = await SettleAsync(host, log);

        using var storage = new HttpClient(
            new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };
        var putMs = new ConcurrentBag<double>();
        var evidenceIds = new string[n];
        var hashes = new string[n];
        var wrong = new ConcurrentQueue<string>();
        log($"E: {n} self-assessments open; uploading");
        var clock = new PhaseClock("E", "upload", log, phase => proxy.Phase = "E " + phase);
        Cpu cpu = Cpu.Start([host.ProcessId, Environment.ProcessId, .. options.AzuritePids]);
        long bodiesBefore = campaign.BodyBytesSent;
        int completed = 0;
        double? halfway = null;
        await campaign.ForEachAsync(branches, async (branch, i) =>
        {
            byte[] file = Pdf(branch);
            hashes[i] = Convert.ToHexStringLower(SHA256.HashData(file));
            JsonElement slot = await campaign.ExpectAsync(HttpStatusCode.Created, Slot, HttpMethod.Post, $"{Evaluation(branch)}/evidence",
                secretaries[branch], new
                {
                    criterion = "unity", title = "民族团结进步创建台账", fileName = "民族团结台账.pdf",
                    contentType = "application/pdf",
                    size = file.Length,
                }, null);
            evidenceIds[i] = slot.GetProperty("evidenceId").GetString()!;
            await PutAsync(storage, slot, file, putMs);
            JsonElement done = await campaign.ExpectAsync(HttpStatusCode.OK, Complete, HttpMethod.Post,
                $"{Evaluation(branch)}/evidence/{evidenceIds[i]}/complete", secretaries[branch], null, null);
            if (done.GetProperty("sha256").GetString() != hashes[i] || done.GetProperty("status").GetString() != "verified")
                wrong.Enqueue($"{branch}: completed as {done}");
            if (Interlocked.Increment(ref completed) == n / 2) halfway = ProcessCpu.Seconds(host.ProcessId);
        });
        Dictionary<string, double> cpuSeconds = cpu.Stop(["host", "bench process (proxy, clients)", .. azuriteCpuNames]);
        // The second half alone: the host's one-time costs (compiling the code paths the uploads take first) are behind it.
        double? secondHalfMs = halfway is { } mid && ProcessCpu.Seconds(host.ProcessId) is { } end && n >= 2
            ? (end - mid) * 1000 / (n - n / 2)
            : null;
        long toHost = campaign.BodyBytesSent - bodiesBefore;
        long putToStorage = proxy.Bytes("E upload", "blob PUT").Sent, readFromStorage = proxy.Bytes("E upload", "blob GET").Answered;
        double uploadSeconds = clock.Elapsed.TotalSeconds;
        clock.Next("upload", "cite");

        await campaign.ForEachAsync(branches, (branch, i) => campaign.ExpectAsync(HttpStatusCode.Accepted, Endpoints.SelfAssessment,
            HttpMethod.Post, $"{Evaluation(branch)}/self-assessment", secretaries[branch], new
            {
                scores = new { political = 24, organization = 23, service = 24, unity = 25 },
                summary = "全年民族团结进步创建台账见附件。",
                evidence = new[] { new { criterion = "unity", evidenceId = evidenceIds[i] } },
            }, "submit-" + branch));
        await campaign.WaitStageAsync("awaiting-township-review", n);
        clock.Next("cite", "check");

        // As the township reviewer: the evaluation lists the file with its hash, and the download gives the same bytes.
        var downloadMs = new ConcurrentBag<double>();
        int sampled = 0;
        await campaign.ForEachAsync([.. branches.Where((_, i) => i % SampleEvery == 0)], async (branch, _) =>
        {
            int i = branches.IndexOf(branch);
            var reviewer = ProductCampaign.Token(Roles.TownshipReviewer, branch[..branch.LastIndexOf('.')], null);
            JsonElement evaluation = await campaign.ExpectAsync(HttpStatusCode.OK, ReadEvaluation, HttpMethod.Get,
                Evaluation(branch), reviewer, null, null);
            if (!evaluation.GetProperty("evidence").EnumerateArray().Any(e => e.GetProperty("sha256").GetString() == hashes[i]))
                wrong.Enqueue($"{branch}: the evaluation does not list sha256 {hashes[i]}");
            string? downloaded =
                await DownloadAsync(host.BaseAddress, $"{Evaluation(branch)}/evidence/{evidenceIds[i]}", reviewer, downloadMs);
            if (downloaded != hashes[i]) wrong.Enqueue($"{branch}: downloaded sha256 {downloaded}, uploaded {hashes[i]}");
            Interlocked.Increment(ref sampled);
        });
        clock.Next("check", "after");
        foreach (string w in wrong.Take(10)) log($"E: wrong: {w}");

        PhaseCount uploads = proxy.Count("E upload");
        double hostMs = cpuSeconds.GetValueOrDefault("host") * 1000 / n;
        Dictionary<string, double[]> measured = campaign.Latencies;
        measured[Put] = [.. putMs];
        measured[Download] = [.. downloadMs];
        var latencies = Steps.Where(s => measured.TryGetValue(s, out double[]? ms) && ms.Length > 0)
            .ToDictionary(s => s, s => Latency.Of(measured[s]));
        log($"E: {n} files of {FileBytes / 1024} KiB uploaded and verified in {uploadSeconds:F1} s = {n / uploadSeconds:F1}/s; host CPU " +
            $"{hostMs:F2} ms per upload, {secondHalfMs:F2} over the second half (idle {idleMsPerSecond:F1} ms/s), " +
            $"{toHost / (double)n:F0} bytes sent to the host per upload, " +
            $"{putToStorage / (double)n / 1024:F0} KiB put into storage and {readFromStorage / (double)n / 1024:F0} KiB read from it; " +
            $"{sampled} sampled, {wrong.Count} wrong");
        return new WorkloadERecord(n, FileBytes, options.Clients, Math.Round(uploadSeconds, 2), Math.Round(n / uploadSeconds, 2),
            clock.Phases, latencies, Math.Round(hostMs, 2), secondHalfMs is { } h ? Math.Round(h, 2) : null, Math.Round(idleMsPerSecond, 1),
            cpuSeconds.ToDictionary(c => c.Key, c => Math.Round(c.Value * 1000 / n, 2)), cpuSeconds,
            Math.Round(toHost / (double)n), Math.Round(putToStorage / (double)n), Math.Round(readFromStorage / (double)n), uploads,
            Math.Round(uploads.Total / (double)n, 1),
            sampled, [.. wrong], hostLog);
    }

    /// <summary>
    /// Waits for the host to finish starting the workflows (under 100 ms of CPU a second, three seconds running, within
    /// two minutes), then measures what it costs doing nothing (its workflows waiting, its queues polled) over 5 s, in ms
    /// of CPU a second, to read the upload figure against.
    /// </summary>
    static async Task<double> SettleAsync(HostProcess host, Action<string> log)
    {
        double Used() => ProcessCpu.Seconds(host.ProcessId) ?? 0;
        var settling = Stopwatch.StartNew();
        for (int quiet = 0; quiet < 3 && settling.Elapsed < TimeSpan.FromMinutes(2);)
        {
            double before = Used();
            await Task.Delay(TimeSpan.FromSeconds(1));
            quiet = Used() - before < 0.1 ? quiet + 1 : 0;
        }
        double start = Used();
        await Task.Delay(TimeSpan.FromSeconds(5));
        double msPerSecond = (Used() - start) * 1000 / 5;
        log($"E: the host settled in {settling.Elapsed.TotalSeconds:F0} s; idle it uses {msPerSecond:F0} ms of CPU a second");
        return msPerSecond;
    }

    /// <summary>A PDF of exactly <see cref="FileBytes"/> bytes, its content unique to the branch.</summary>
    static byte[] Pdf(string branch)
    {
        byte[] file = new byte[FileBytes];
        byte[] head = Encoding.ASCII.GetBytes($"%PDF-1.7\n% {branch}\n"), tail = "\n%%EOF\n"u8.ToArray();
        file.AsSpan().Fill((byte)' ');
        head.CopyTo(file, 0);
        tail.CopyTo(file, FileBytes - tail.Length);
        return file;
    }

    /// <summary>The PUT to the SAS URL with the headers the slot named, straight to storage (not through the host).</summary>
    static async Task PutAsync(HttpClient storage, JsonElement slot, byte[] file, ConcurrentBag<double> ms)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, slot.GetProperty("uploadUrl").GetString())
        {
            Content = new ByteArrayContent(file),
        };
        foreach (JsonProperty h in slot.GetProperty("uploadHeaders").EnumerateObject())
            if (!put.Headers.TryAddWithoutValidation(h.Name, h.Value.GetString()))
                put.Content.Headers.TryAddWithoutValidation(h.Name, h.Value.GetString());
        long started = Stopwatch.GetTimestamp();
        using HttpResponseMessage answer = await storage.SendAsync(put);
        ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (answer.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException(
                $"E: the PUT to storage answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>The download as a browser makes it: the API's 302, then the read SAS; the SHA-256 of what came.</summary>
    static async Task<string?> DownloadAsync(Uri host, string path, AuthenticationHeaderValue token, ConcurrentBag<double> ms)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = host };
        long started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = token } };
        using HttpResponseMessage redirect = await http.SendAsync(request);
        if (redirect.StatusCode != HttpStatusCode.Found || redirect.Headers.Location is not { } blob) return null;
        byte[] bytes = await http.GetByteArrayAsync(blob);
        ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
