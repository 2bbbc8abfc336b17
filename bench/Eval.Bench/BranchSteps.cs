namespace Eval.Bench;

/// <summary>
/// What the people of the bench's campaigns do for the <c>i</c>-th branch, fixed by its index so that the oracle
/// (<see cref="ExpectedRatings"/>) can work the result out: its secretary's points; its township's approval, with
/// absences from organizational life found for some (减分项 absent, some past its cap of 4 points); its county scorer's
/// points, with absences of their own for some (more, as many, or fewer than the township found), a commendation
/// (加分项 honour) for some, taking a few totals past 100, and the innovation flag for most; and, where the campaign holds
/// the members' appraisal (民主测评), its roster of fifteen and who of them votes what.
/// </summary>
public static class BranchSteps
{
    /// <summary>
    /// Points for (political, organization, service, unity), in half points and varied by index, so that ranks, each
    /// county's strongest places and the unity gate all matter. Over thirty branches the points fall from full marks,
    /// by half a point a branch where branches are ordinary, by half a point every third branch where they are strong
    /// (<see cref="Strong"/>): there more of them reach 90 than their county has places. Every 18th branch is strong on
    /// three criteria but under 0.8 on unity (19.5 of 25): around 90, kept from the top level by its share.
    /// </summary>
    public static decimal[] SelfPoints(int i)
    {
        if (i % 18 == 5) return [25 - i % 4 * 0.5m, 24.5m, 24m, 19.5m];
        decimal b = 25 - (Strong(i) ? i % 30 / 3 : i % 30) * 0.5m;
        decimal unity = 25 - i % 5 * 0.5m;
        return [b, Math.Max(0, b - i % 4 * 0.5m), Math.Max(0, b - 1 + i % 2 * 0.5m), unity];
    }

    /// <summary>
    /// Whether the <paramref name="i"/>-th branch is among the strong ones. The branches come county by county, so in the
    /// whole city a run of 634 is about two counties; runs take turns: mixed (blocks of a hundred, strong and ordinary
    /// by turns: in a small run every county is so), ordinary, strong.
    /// </summary>
    public static bool Strong(int i) => (i / 634 % 3) switch { 0 => i / 100 % 2 == 0, 1 => false, _ => true };

    /// <summary>The county's points: the branch's own, with one criterion marked down for every third branch.</summary>
    public static decimal[] CountyPoints(int i)
    {
        decimal[] p = SelfPoints(i);
        if (i % 3 == 1) p[1] = Math.Max(0, p[1] - 1.5m);
        return p;
    }

    /// <summary>Absences the township found, for every sixth branch: 1 to 10 (8 reach the cap of 4 points, 9 and 10 pass it).</summary>
    public static int TownshipAbsences(int i) => i % 6 == 1 ? 1 + i / 6 % 10 : 0;

    /// <summary>
    /// Absences the county scorer found, for every fourth branch. Where the township found some too (every twelfth
    /// branch), by turns three more, as many, or two fewer (at least one), so that the most recorded is sometimes the
    /// township's; elsewhere 1 to 12.
    /// </summary>
    public static int CountyAbsences(int i)
    {
        if (i % 4 != 3) return 0;
        int township = TownshipAbsences(i);
        if (township == 0) return 1 + i / 4 % 12;
        return (i / 12 % 3) switch { 0 => township + 3, 1 => township, _ => Math.Max(1, township - 2) };
    }

    /// <summary>
    /// The commendation the county scorer awards every fifth branch, 0.5 to 3 points (the item's maximum) by turns. The
    /// best-scored branches (every 30th) are among them: with 2 or 3 points some pass 100 (the rubric has no maxTotal).
    /// </summary>
    public static decimal Honour(int i) => i % 5 == 0 ? 3 - 0.5m * (i / 15 % 6) : 0;

    /// <summary>The innovation flag (党建创新项目), set by the county scorer on every branch but each seventh.</summary>
    public static bool Innovation(int i) => i % 7 != 3;

    /// <summary>The self-assessment of the <paramref name="i"/>-th branch.</summary>
    public static object SelfAssessment(int i) => new
    {
        scores = Scores(SelfPoints(i)),
        summary = "本年度支部工作总结",
        evidence = new[]
        {
            new { criterion = "unity", title = "民族团结进步创建材料", url = "https://example.org/evidence/unity.pdf" },
        },
    };

    /// <summary>The township's approval of the <paramref name="i"/>-th branch, with the absences it found.</summary>
    public static Dictionary<string, object> TownshipReview(int i)
    {
        var body = new Dictionary<string, object> { ["decision"] = "approve", ["comment"] = "材料齐全" };
        if (TownshipAbsences(i) is > 0 and int found) body["deductions"] = new[] { Absent(found) };
        return body;
    }

    /// <summary>The county scorer's score of the <paramref name="i"/>-th branch: points, and what else it gives.</summary>
    public static Dictionary<string, object?> CountyScore(int i)
    {
        var body = new Dictionary<string, object?> { ["scores"] = Scores(CountyPoints(i)), ["veto"] = null, ["comment"] = "评分" };
        if (CountyAbsences(i) is > 0 and int found) body["deductions"] = new[] { Absent(found) };
        if (Honour(i) is > 0 and decimal points)
            body["bonuses"] = new[] { new { item = "honour", points, reason = "获评旗县级先进基层党组织" } };
        if (Innovation(i)) body["flags"] = new[] { "innovation" };
        return body;
    }

    /// <summary>The members who vote in each branch: fifteen, so the city casts 57,150 ballots.</summary>
    public const int Members = 15;

    /// <summary>The id (token subject) of a branch's <paramref name="m"/>-th member; each branch has its own roster.</summary>
    public static string MemberId(int m) => $"m-{m + 1:00}";

    /// <summary>
    /// How many members the <paramref name="i"/>-th branch's roster holds, of whom the first fifteen vote: fifteen, but 24
    /// in every 40th branch (15 / 24 = 62.5%, under two thirds: the appraisal does not count, its component is 0 and the
    /// gate caps the level) and 22 in another of each 40 (15 / 22 = 0.6818 to 4 decimals: enough).
    /// </summary>
    public static int RosterSize(int i) => (i % 40) switch { 13 => 24, 33 => 22, _ => Members };

    /// <summary>The roster the <paramref name="i"/>-th branch's secretary sets: its members' ids.</summary>
    public static object Roster(int i) => new { members = Enumerable.Range(0, RosterSize(i)).Select(MemberId).ToArray() };

    public const string Satisfied = "satisfied", Fair = "fair", Dissatisfied = "dissatisfied";

    /// <summary>
    /// What the <paramref name="m"/>-th member of the <paramref name="i"/>-th branch chooses. In every 25th branch six are
    /// dissatisfied and two fair (57.33% satisfied: under the gate's 60%), in another of each 25 six dissatisfied and the
    /// rest satisfied (60.00%: at the gate, which it passes); elsewhere the first 0 to 3 are fair and, in every third
    /// branch, the last dissatisfied: most branches are well satisfied, so the strongest places still fill, and most of
    /// their means do not terminate (14 satisfied and one fair: 98.666…).
    /// </summary>
    public static string Choice(int i, int m) => (i % 25) switch
    {
        8 => m < 6 ? Dissatisfied : m < 8 ? Fair : Satisfied,
        21 => m < 6 ? Dissatisfied : Satisfied,
        _ => m < i % 4 ? Fair : m == Members - 1 && i % 3 == 0 ? Dissatisfied : Satisfied,
    };

    /// <summary>The ballot of the <paramref name="m"/>-th member of the <paramref name="i"/>-th branch.</summary>
    public static object Ballot(int i, int m) => new { choice = Choice(i, m) };

    /// <summary>The <paramref name="i"/>-th branch's appraisal as it closes: its roster and the votes of those who voted.</summary>
    public static MembersVote Vote(int i)
    {
        string[] cast = [.. Enumerable.Range(0, Members).Select(m => Choice(i, m))];
        return new MembersVote(RosterSize(i), cast.Count(c => c == Satisfied), cast.Count(c => c == Fair),
            cast.Count(c => c == Dissatisfied));
    }

    /// <summary>
    /// The <paramref name="i"/>-th branch as the oracle takes it: one county scorer, and the members' vote where the campaign
    /// holds the appraisal (<paramref name="appraisal"/>).
    /// </summary>
    public static ScoredBranch Scored(string branch, int i, string group, bool appraisal = false) =>
        new(branch, group, TownshipAbsences(i), [new ScorerCard(CountyPoints(i), CountyAbsences(i), Honour(i), Innovation(i))])
        {
            Appraisal = appraisal ? Vote(i) : null,
        };

    static object Scores(decimal[] p) => new { political = p[0], organization = p[1], service = p[2], unity = p[3] };

    static object Absent(int occurrences) => new { item = "absent", occurrences, reason = $"{occurrences}人次无故缺席组织生活" };
}
