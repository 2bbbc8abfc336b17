namespace Eval.Bench;

/// <summary>
/// What to run and where: arguments win over the environment (EVAL_BENCH_*), which wins over the defaults. Azurite is
/// started by `./eval bench` and passed in by its three ports.
/// </summary>
public sealed class BenchOptions
{
    public const int FullBranches = 3810;

    public int Branches { get; private set; } = FullBranches;
    public int Clients { get; private set; } = 32;
    public HashSet<char> Workloads { get; private set; } = [.. AllWorkloads];
    /// <summary>Workload D's submissions per second (the latency goal is at 20).</summary>
    public double Rate { get; private set; } = BenchReport.GoalRatePerSecond;
    /// <summary>Workload D's pollers, each reading the campaign and the ratings once a second.</summary>
    public int Pollers { get; private set; } = 10;
    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }
    /// <summary>Azurite's blob, queue and table processes, to count the CPU time each spends on a workload (none: not measured).</summary>
    public int[] AzuritePids { get; private set; } = [];
    public string Root { get; private set; } = Directory.GetCurrentDirectory();
    public string HostDll { get; private set; } = "";
    /// <summary>The command line as the user typed it, for the report.</summary>
    public string Command { get; private set; } = "./eval bench";
    /// <summary>
    /// Rewrite docs/benchmarks.md and bench/last-report.json; by default only a full run (every workload, 3,810 branches) does.
    /// </summary>
    public bool WriteDocs { get; private set; }
    /// <summary>
    /// Workload A races each event against a durable timer, as an evaluation races its deadlines. Without them (a probe
    /// of workload A alone), it shows what those timers cost the engine on Azurite.
    /// </summary>
    public bool BareTimers { get; private set; } = true;
    /// <summary>
    /// Workload B gives up its campaign this long after starting it and reports how far it got (none: it runs to the
    /// end). For runs that would take hours, such as the full city on this machine.
    /// </summary>
    public TimeSpan? TimeLimit { get; private set; }
    /// <summary>The public notice of the product's campaign.</summary>
    public string Publicity { get; private set; } = "PT5S";

    public bool Runs(char workload) => Workloads.Contains(workload);

    /// <summary>
    /// A (the bare engine), B (the product), C (publication writes), D (the open loop), E (evidence files), F (after
    /// publication, on B's published campaign), G (the inbox, statistics and exports while B's evaluations wait): asking
    /// for F or G runs B too.
    /// </summary>
    public static readonly char[] AllWorkloads = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

    public bool IsFull => Branches == FullBranches && Workloads.SetEquals(AllWorkloads);

    public string ReportDir => Path.Combine(Root, ".eval", "bench");

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        if (Env("EVAL_BENCH_BRANCHES") is { } b) o.Branches = Int("EVAL_BENCH_BRANCHES", b);
        if (Env("EVAL_BENCH_CLIENTS") is { } c) o.Clients = Int("EVAL_BENCH_CLIENTS", c);
        if (Env("EVAL_BENCH_WORKLOADS") is { } w) o.Workloads = WorkloadSet(w);
        if (Env("EVAL_BENCH_RATE") is { } r) o.Rate = PerSecond("EVAL_BENCH_RATE", r);
        if (Env("EVAL_BENCH_POLLERS") is { } p) o.Pollers = Int("EVAL_BENCH_POLLERS", p);
        bool? writeDocs = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--branches": o.Branches = Int("--branches", Value()); break;
                case "--clients": o.Clients = Int("--clients", Value()); break;
                case "--workloads": o.Workloads = WorkloadSet(Value()); break;
                case "--rate": o.Rate = PerSecond("--rate", Value()); break;
                case "--pollers": o.Pollers = Int("--pollers", Value()); break;
                case "--blob-port": o.BlobPort = Int("--blob-port", Value()); break;
                case "--queue-port": o.QueuePort = Int("--queue-port", Value()); break;
                case "--table-port": o.TablePort = Int("--table-port", Value()); break;
                case "--azurite-pids": o.AzuritePids = Pids(Value()); break;
                case "--root": o.Root = Path.GetFullPath(Value()); break;
                case "--host-dll": o.HostDll = Path.GetFullPath(Value()); break;
                case "--command": o.Command = Value(); break;
                case "--publicity": o.Publicity = Value(); break;
                case "--time-limit": o.TimeLimit = Minutes("--time-limit", Value()); break;
                case "--write-docs": writeDocs = true; break;
                case "--no-docs": writeDocs = false; break;
                case "--bare-without-timers": o.BareTimers = false; break;
                default: throw new ArgumentException($"unknown option '{args[i]}' (see ./eval help).");
            }
        }
        // F reads and changes what B's campaign published, on B's host; G reads it while its evaluations wait.
        if (o.Runs('f') || o.Runs('g')) o.Workloads.Add('b');
        if (o.Branches is < 1 or > FullBranches) throw new ArgumentException($"--branches must be 1..{FullBranches}.");
        if (o.Clients < 1) throw new ArgumentException("--clients must be at least 1.");
        if (o.Pollers is < 0 or > MaxPollers) throw new ArgumentException($"--pollers must be 0..{MaxPollers}.");
        if (o.BlobPort == 0 || o.QueuePort == 0 || o.TablePort == 0)
            throw new ArgumentException(
                "--blob-port, --queue-port and --table-port are required (./eval bench starts Azurite and passes them).");
        if (o.HostDll == "")
            o.HostDll = Path.Combine(o.Root, "functions", "Eval.LocalHost", "bin", "Release", "net10.0", "Eval.LocalHost.dll");
        if ((o.Runs('b') || o.Runs('d') || o.Runs('e')) && !File.Exists(o.HostDll))
            throw new ArgumentException($"the local host is not built: {o.HostDll}");
        // Without its timers A no longer does what an evaluation does, so it is no baseline for B.
        if (!o.BareTimers && (!o.Workloads.SetEquals(['a']) || writeDocs == true))
            throw new ArgumentException("--bare-without-timers probes workload A alone: give --workloads a, and no --write-docs.");
        o.WriteDocs = writeDocs ?? o.IsFull;
        return o;
    }

    static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    static TimeSpan Minutes(string name, string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double m)
            && m > 0 && m <= 24 * 60
            ? TimeSpan.FromMinutes(m) : throw new ArgumentException($"{name} takes minutes (more than 0, at most a day), not '{value}'.");

    const int MaxPollers = 1000;
    const double MaxRate = 1000;

    /// <summary>A rate: a number of requests per second, more than 0 and at most <see cref="MaxRate"/> (fractions allowed).</summary>
    static double PerSecond(string name, string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double r)
            && r > 0 && r <= MaxRate
            ? r : throw new ArgumentException($"{name} takes requests per second (more than 0, at most {MaxRate:0}), not '{value}'.");

    static int Int(string name, string value) =>
        int.TryParse(value, out int n) ? n : throw new ArgumentException($"{name} must be a whole number, not '{value}'.");

    /// <summary>"blob,queue,table": the pids `./eval bench` started, in that order.</summary>
    static int[] Pids(string value)
    {
        int[] pids = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Int("--azurite-pids", p))];
        return pids.Length == AzuriteServices.Length
            ? pids
            : throw new ArgumentException(
                $"--azurite-pids takes {AzuriteServices.Length} pids ({string.Join(", ", AzuriteServices)}), not '{value}'.");
    }

    /// <summary>Azurite's services, each its own process, in the order of <see cref="AzuritePids"/>.</summary>
    public static readonly string[] AzuriteServices = ["blob", "queue", "table"];

    static HashSet<char> WorkloadSet(string value)
    {
        var set = value.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.Length == 1 && AllWorkloads.Contains(s[0])
                ? s[0] : throw new ArgumentException($"--workloads takes a comma list of a, b, c, d, e, f, g, not '{value}'."))
            .ToHashSet();
        return set.Count > 0 ? set : throw new ArgumentException("--workloads is empty.");
    }

    /// <summary>An Azurite connection string for these ports (the well-known development account).</summary>
    public static string ConnectionString(int blob, int queue, int table)
    {
        const string account = "devstoreaccount1";
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};BlobEndpoint=http://127.0.0.1:{blob}/{account};" +
               $"QueueEndpoint=http://127.0.0.1:{queue}/{account};TableEndpoint=http://127.0.0.1:{table}/{account};";
    }

    public string AzuriteConnectionString => ConnectionString(BlobPort, QueuePort, TablePort);
}
