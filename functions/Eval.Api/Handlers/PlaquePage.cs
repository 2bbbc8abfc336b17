using System.Globalization;
using System.Net;
using System.Text;
using Eval.Application.Honours;
using Eval.Workflows.Domain;

namespace Eval.Api.Handlers;

/// <summary>
/// The page a plaque's QR code opens in a browser: a title's standing in plain Chinese, rendered on the server, with no
/// script. Every value is HTML-encoded where it is written, so a branch's name cannot add markup.
/// </summary>
public static class PlaquePage
{
    /// <summary>Nothing but the page's own inline style: no script, frame, form or outside resource.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>China Standard Time (no daylight saving): the dates a reader in Chifeng expects.</summary>
    static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    /// <summary>The words for a status, as the plaque's reader sees them.</summary>
    public static string StatusWords(string status) => status switch
    {
        HonourStatus.Active => "有效",
        HonourStatus.Downgraded => "已降级",
        HonourStatus.Revoked => "已撤销",
        HonourStatus.Expired => "已到期",
        _ => status,
    };

    /// <summary>The words for a reason's category.</summary>
    public static string ReasonWords(string category) => category switch
    {
        HonourReasons.Veto => "发生一票否决事项",
        HonourReasons.NegativeList => "触及负面清单事项",
        HonourReasons.WeakAndLax => "被认定为软弱涣散党组织",
        HonourReasons.Other => "其他原因",
        HonourReasons.Superseded => "已由新一届评定结果取代",
        _ => category,
    };

    /// <summary>A date in words: 2026年3月5日, in China Standard Time.</summary>
    public static string DateWords(DateTimeOffset at)
    {
        DateTimeOffset local = at.ToOffset(ChinaTime);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日");
    }

    public static string Render(PublicHonourView v)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(v.BranchName)).Append(" · ").Append(E(v.LevelTitle)).Append(" · 荣誉核验</title>\n")
            .Append("<style>body{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:40rem;margin:1.5rem auto;")
            .Append("padding:0 1rem;line-height:1.7;color:#1a1a1a;background:#fff}")
            .Append(".status{font-size:1.6rem;font-weight:bold;padding:.4rem 1rem;border:3px solid;display:inline-block}")
            .Append(".active{color:#0b5d2a}.downgraded{color:#7a4f00}.revoked,.expired{color:#a40000}")
            .Append("dt{font-weight:bold;margin-top:.5rem}dd{margin-left:0}a{color:#0645ad}code{word-break:break-all}</style>\n")
            .Append("</head>\n<body>\n<main>\n");
        html.Append("<h1>").Append(E(v.BranchName)).Append("</h1>\n");
        html.Append("<p class=\"status ").Append(E(v.Status)).Append("\" role=\"status\">荣誉状态：")
            .Append(E(StatusWords(v.Status))).Append("</p>\n");
        html.Append("<dl>\n");
        string year = v.Campaign.Year.ToString(CultureInfo.InvariantCulture);
        Row(html, "荣誉称号", $"{v.LevelTitle}（{v.Campaign.Title}，{year}年度）");
        if (v.CurrentLevel != v.Level)
            Row(html, "现有等次", v.CurrentLevelTitle ?? "无（荣誉已撤销）");
        Row(html, "状态起始日期", DateWords(v.Since));
        Row(html, "有效期至", DateWords(v.ValidUntil));
        if (v.ReasonCategory is { } reason) Row(html, "原因类别", ReasonWords(reason));
        Row(html, "支部编号", v.BranchId);
        html.Append("</dl>\n");
        html.Append("<h2>签名名单</h2>\n");
        if (v.Statement is { } s)
        {
            html.Append("<p>以上信息可与评定机关签名发布的名单核对：第")
                .Append(s.Version.ToString(CultureInfo.InvariantCulture)).Append("版，")
                .Append(E(DateWords(s.IssuedAt))).Append("签发。</p>\n");
            if (s.Entry is { } entry)
                html.Append("<p>名单中本支部的记录：").Append(E(entry.Name))
                    .Append("，第").Append(entry.Rank.ToString(CultureInfo.InvariantCulture)).Append("名，状态")
                    .Append(E(StatusWords(entry.Status ?? HonourStatus.Active))).Append("。</p>\n");
            html.Append("<ul>\n<li><a href=\"").Append(E(s.Url)).Append("\">下载签名名单（JWS）</a></li>\n")
                .Append("<li><a href=\"").Append(E(s.KeysUrl)).Append("\">验证用公钥（JWKS）</a></li>\n</ul>\n")
                .Append("<p>签名密钥编号 <code>").Append(E(s.Kid)).Append("</code>，名单 SHA-256 <code>").Append(E(s.Sha256))
                .Append("</code></p>\n");
        }
        else html.Append("<p>该评定发布时尚未签名名单。</p>\n");
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    static void Row(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    static string E(string text) => WebUtility.HtmlEncode(text);
}
