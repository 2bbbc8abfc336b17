using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

public sealed class IsoDurationTests
{
    public static TheoryData<string, TimeSpan> FixedLengthDurations => new()
    {
        { "P14D", TimeSpan.FromDays(14) },
        { "P2W", TimeSpan.FromDays(14) },
        { "PT3S", TimeSpan.FromSeconds(3) },
        { "PT1.5S", TimeSpan.FromMilliseconds(1500) },
        { "PT0.001S", TimeSpan.FromMilliseconds(1) },
        { "P1DT12H", TimeSpan.FromHours(36) },
        { "PT36H", TimeSpan.FromHours(36) },
        { "PT90M", TimeSpan.FromMinutes(90) },
        // 86400 + 7200 + 180 + 4.25 seconds
        { "P1DT2H3M4.25S", new TimeSpan(1, 2, 3, 4, 250) },
        // a fraction that a double cannot hold exactly must still come out to the millisecond
        { "P1DT0.001S", new TimeSpan(1, 0, 0, 0, 1) },
        { "PT0.1S", TimeSpan.FromMilliseconds(100) },
        // 999999 s = 11 d 13 h 46 min 39 s
        { "PT999999.999S", new TimeSpan(11, 13, 46, 39, 999) },
        { "PT8.123S", new TimeSpan(0, 0, 0, 8, 123) },
        { "P1DT23H59M59.999S", new TimeSpan(1, 23, 59, 59, 999) },
        { "P3650D", TimeSpan.FromDays(3650) },
    };

    [Theory]
    [MemberData(nameof(FixedLengthDurations))]
    public void Fixed_length_durations_parse(string text, TimeSpan expected)
    {
        Assert.True(IsoDuration.TryParse(text, out TimeSpan duration));
        Assert.Equal(expected, duration);
        Assert.Equal(expected, IsoDuration.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("P1Y")]     // calendar-dependent
    [InlineData("P1M")]     // months, not minutes: minutes need the T
    [InlineData("P1Y2M3D")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("14D")]
    [InlineData("P-1D")]
    [InlineData("-P1D")]
    [InlineData("p14d")]
    [InlineData("P14")]
    [InlineData("P2W1D")]   // weeks stand alone
    [InlineData("P1.5D")]   // only seconds take a fraction
    [InlineData("PT1,5S")]
    [InlineData("PT1.S")]
    [InlineData("PT3S3S")]
    [InlineData("PT3M2H")]  // out of order
    [InlineData(" P14D")]
    [InlineData("P14D ")]
    [InlineData("P14D\n")]
    [InlineData("P١٤D")]    // Arabic-Indic digits
    [InlineData("P3651D")]  // over ten years
    [InlineData("garbage")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(IsoDuration.TryParse(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Fact]
    public void Parse_throws_a_format_error_naming_the_text()
    {
        FormatException error = Assert.Throws<FormatException>(() => IsoDuration.Parse("P1M"));
        Assert.Contains("P1M", error.Message);
    }
}
