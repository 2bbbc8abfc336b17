using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// Reports on a campaign whose evaluations wait (workload G: the city's 3,810 on their township reviewers): GET …/statistics read
/// <see cref="StatisticsRequests"/> times by <c>clients</c> at a time, over the unit and each of its child units in turn,
/// against a p99 goal of <see cref="GoalStatisticsP99Ms"/> ms (the first request, which computes the campaign's
/// statistics for the host, is reported apart: every later one is served from them for up to ten seconds); and the unit's
/// evaluations exported as XLSX <see cref="XlsxReads"/> times (and once as CSV), each read to its last byte, against a goal
/// of <see cref="GoalXlsxSeconds"/> s, its rows counted in the workbook against the evaluations.
/// </summary>
public sealed partial class StatisticsAndExports(Uri baseAddress, Action<string> log, int clients = 4)
{
    public const int StatisticsRequests = 400, XlsxReads = 3;
    public const double GoalStatisticsP99Ms = 100, GoalXlsxSeconds = 2;

    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(120),
    };

    public async Task<StatisticsAndExportsRecord> RunAsync(string campaignId, int evaluations, string unit = ProductCampaign.City)
    {
        AuthenticationHeaderValue org = ProductCampaign.Token(Roles.OrgDepartment, unit, "bench-reports");
        string statistics = $"api/campaigns/{campaignId}/statistics";
        var problems = new List<string>();

        // 1. The first request computes the campaign's statistics for this host; its total must count every evaluation.
        var (firstMs, firstBody, firstStatus) = await GetAsync(statistics + "?unit=" + unit, org);
        if (firstStatus != HttpStatusCode.OK) throw new InvalidOperationException($"GET statistics answered {(int)firstStatus}.");
        using JsonDocument first = JsonDocument.Parse(firstBody);
        int counted = first.RootElement.GetProperty("total").GetProperty("evaluations").GetInt32();
        if (counted != evaluations) problems.Add($"statistics counted {counted} evaluations, expected {evaluations}");
        string[] units =
            [unit, .. first.RootElement.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("unit").GetString()!)];
        log($"Reports: the first statistics request took {firstMs:0} ms ({counted} evaluations, {units.Length - 1} child units)");

        // 2. Then many, clients at a time, over the unit and its children in turn (one cached computation serves them all).
        var latencies = new double[StatisticsRequests];
        int errors = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, StatisticsRequests), new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (i, _) =>
            {
                var (ms, _, status) = await GetAsync($"{statistics}?unit={units[i % units.Length]}", org);
                latencies[i] = ms;
                if (status != HttpStatusCode.OK) Interlocked.Increment(ref errors);
            });
        Latency statisticsMs = Latency.Of(latencies);
        log($"Reports: GET statistics ×{StatisticsRequests} ({clients} clients): p50 {statisticsMs.P50:0} ms, " +
            $"p99 {statisticsMs.P99:0} ms, max {statisticsMs.Max:0} ms, {errors} errors (goal: p99 < {GoalStatisticsP99Ms:0} ms)");

        // 3. The unit's evaluations as XLSX, read to the last byte, a few times; the workbook's rows counted; once as CSV.
        string export = $"api/campaigns/{campaignId}/exports/evaluations?unit={unit}";
        var xlsxSeconds = new List<double>();
        long xlsxBytes = 0;
        int rows = 0;
        for (int run = 0; run < XlsxReads; run++)
        {
            var (ms, body, status) = await GetAsync(export + "&format=xlsx", org);
            if (status != HttpStatusCode.OK) throw new InvalidOperationException($"The XLSX export answered {(int)status}.");
            xlsxSeconds.Add(Math.Round(ms / 1000, 3));
            (xlsxBytes, rows) = (body.Length, RowsOf(body));
        }
        if (rows != evaluations + 1)
            problems.Add($"the XLSX has {rows} rows, expected {evaluations + 1} (a header and one per evaluation)");
        var (csvMs, csvBody, csvStatus) = await GetAsync(export + "&format=csv", org);
        if (csvStatus != HttpStatusCode.OK) problems.Add($"the CSV export answered {(int)csvStatus}");
        int csvRecords = Encoding.UTF8.GetString(csvBody).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length;
        log($"Reports: XLSX of {evaluations} evaluations: {string.Join(", ", xlsxSeconds.Select(s => $"{s:0.00} s"))} " +
            $"({xlsxBytes / 1024.0:0} KiB, {rows} rows; goal < {GoalXlsxSeconds:0} s); CSV {csvMs / 1000:0.00} s " +
            $"({csvBody.Length / 1024.0:0} KiB, {csvRecords} records)");
        foreach (string problem in problems) log($"Reports: {problem}");

        return new StatisticsAndExportsRecord(evaluations, clients, Math.Round(firstMs, 1), statisticsMs, errors,
            statisticsMs.P99 < GoalStatisticsP99Ms && errors == 0, [.. xlsxSeconds], xlsxBytes, rows, Math.Round(csvMs / 1000, 3),
            csvBody.Length, xlsxSeconds.Max() < GoalXlsxSeconds && rows == evaluations + 1, problems);
    }

    /// <summary>One GET read to its last byte: milliseconds from sending to the end of the body, the body, the status.</summary>
    async Task<(double Ms, byte[] Body, HttpStatusCode Status)> GetAsync(string path, AuthenticationHeaderValue token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = token;
        long started = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, body, response.StatusCode);
    }

    /// <summary>The rows of the workbook's first sheet (header included), counted in its XML.</summary>
    static int RowsOf(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        ZipArchiveEntry sheet = zip.GetEntry("xl/worksheets/sheet1.xml") ?? throw new InvalidDataException("The XLSX has no sheet1.");
        using var reader = new StreamReader(sheet.Open(), Encoding.UTF8);
        return RowElement().Count(reader.ReadToEnd());
    }

    [GeneratedRegex("<row[ >]")]
    private static partial Regex RowElement();
}

/// <summary>
/// Statistics and exports on a campaign of <see cref="Evaluations"/> waiting evaluations: the first statistics request
/// (computing), the latencies of the rest at <see cref="Clients"/> at a time and their errors, whether p99 met its goal;
/// each XLSX export's seconds to its last byte, its size and rows (a header and one per evaluation), the CSV's seconds and
/// size, whether the XLSX met its goal, and what was found wrong.
/// </summary>
public sealed record StatisticsAndExportsRecord(int Evaluations, int Clients, double FirstStatisticsMs, Latency StatisticsMs,
    int StatisticsErrors, bool StatisticsGoalMet, double[] XlsxSeconds, long XlsxBytes, int XlsxRows, double CsvSeconds, long CsvBytes,
    bool XlsxGoalMet, List<string> Problems);
