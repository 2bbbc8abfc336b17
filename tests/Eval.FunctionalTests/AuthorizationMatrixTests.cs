using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eval.Api.Auth;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Eval.FunctionalTests;

/// <summary>
/// Who may call what: every endpoint (but health and the self-tests, which have their own tests) × every role ×
/// in scope / out of scope / a string-prefix unit, plus no token, a garbage token, and valid tokens with no role, an
/// unknown role or a role spelled differently; then forged and malformed tokens against one protected endpoint.
///
/// The rules, as the handlers implement them ("covers" = the caller's unit is the unit or an ancestor of it;
/// chifeng.hong does NOT cover chifeng.hongshan; "working role" = any role but member; "inside" = the caller's unit is
/// the campaign's unit or lies below it):
///
///   endpoint                                   who may call it
///   GET  schemas/{name}                        anyone, no token needed (a bad token is ignored)
///   GET  campaigns/{cid}/ratings               anyone, no token needed (a bad token is ignored)
///   PUT  units                                 org-department covering every unit in the body
///   POST units/import                          org-department covering every unit in the file
///   GET  inbox                                 any role (what waits on it, in its own scope)
///   GET  units/{id}                            a working role whose unit covers the unit or lies below it
///   GET  campaigns                             any role (working roles: the campaigns at, above or below their unit;
///                                              members: those they are inside of, from the notice on)
///   POST campaigns                             org-department covering the campaign's unit
///   GET  campaigns/{cid}                       a working role at, above or below the campaign's unit; a member inside
///                                              it from the notice on (the summary only; here the campaign runs: 403)
///   POST campaigns/{cid}/start                 org-department covering the campaign's unit
///   GET  campaigns/{cid}/schemas/self-assess.  a working role at, above or below the campaign's unit
///   GET  campaigns/{cid}/evaluations           a working role at, above or below the campaign's unit (and covering ?unit)
///   GET  …/evaluations/{branch}                a working role covering the branch (its secretary, reviewers, scorers, org)
///   POST …/evaluations/{branch}/self-assessment  branch-secretary covering the branch
///   POST …/evaluations/{branch}/township-review  township-reviewer covering the branch
///                                                (county-scorer covering it only when the review is overdue: 403 here)
///   POST …/evaluations/{branch}/county-score     county-scorer covering the branch
///                                                (org-department covering it only when scoring is overdue: 403 here)
///   POST …/evaluations/{branch}/evidence       branch-secretary covering the branch (an upload slot)
///   POST …/evidence/{eid}/complete             branch-secretary covering the branch
///   GET  …/evidence/{eid}                      a working role covering the branch (its secretary, reviewers, scorers, org)
///   POST …/evaluations/{branch}/vetoes         org-department covering the branch (a joint veto, 联审)
///   POST …/evaluations/{branch}/urge           a role above the waiting step covering the branch (催办; at a self-assessment:
///                                              township-reviewer, county-scorer or org-department)
///   POST …/evaluations/{branch}/deadline       org-department covering the branch; county-scorer covering it for a
///                                              self-assessment or township review (延期)
///   GET  …/evaluations/{branch}/appraisal      a working role covering the branch, or a member of the branch itself
///   PUT  …/appraisal/roster                    branch-secretary or township-reviewer covering the branch
///   POST …/appraisal/ballots                   a member of the branch itself (role member, unit the branch)
///   POST campaigns/{cid}/publication           org-department covering the campaign's unit
///   POST campaigns/{cid}/rehearsals            org-department covering the campaign's unit
///   POST campaigns/{cid}/objections            any role inside the campaign's unit (409 outside the public notice)
///   GET  campaigns/{cid}/objections            org-department covering the campaign's unit (all); any role inside it (its own)
///   GET  …/objections/{oid}                    org-department covering the campaign's unit, or the objection's filer
///                                              (anyone else: 404, as if it did not exist)
///   POST …/objections/{oid}/resolution         org-department covering the campaign's unit
///   POST campaigns/{cid}/objection-resolutions org-department covering the campaign's unit
///   GET  campaigns/{cid}/audit/verify          org-department covering the campaign's unit
///   GET  keys, campaigns/{cid}/ratings.jws     anyone, no token needed (a bad token is ignored)
///   GET  honours                               a working role whose unit covers ?unit (default: its own)
///   GET  units/{branch}/honours                a working role covering the branch
///   GET  public/honours/{cid}/{branch}[/qr.*]  anyone, no token needed (a bad token is ignored)
///   GET  …/honours/{branch}/changes            a working role covering the branch (changes of its honour: 动态管理)
///   POST …/honours/{branch}/changes            county-scorer or township-reviewer covering the branch
///   GET  …/changes/{changeId}                  a working role covering the branch
///   POST …/changes/{changeId}/decision         org-department covering the branch's county (once overdue: the campaign's
///                                              unit; the change's id is checked first, so 404 here)
///   POST …/changes/{changeId}/objections       any role inside the campaign's unit (409 outside the change's notice)
///   POST …/objections/{oid}/resolution         org-department covering the branch's county
///   POST …/honours/{branch}/change-evidence    county-scorer or township-reviewer covering the branch (an upload slot)
///   POST …/change-evidence/{eid}/complete      county-scorer or township-reviewer covering the branch
///   GET  …/change-evidence/{eid}               a working role covering the branch
///   GET  campaigns/{cid}/statistics            org-department, county-scorer or township-reviewer covering ?unit (default:
///                                              the campaign's unit, or the caller's own inside it)
///   GET  campaigns/{cid}/exports/*             the same (notice, published, evaluations, statistics; the lists are public
///                                              at GET …/ratings already, their exports are not anonymous)
///   POST subscriptions                         org-department covering the subscription's unit
///   GET  subscriptions                         org-department covering ?unit (default: its own)
///   GET, DELETE subscriptions/{id}             org-department covering the subscription's unit
///   POST subscriptions/{id}/secret             org-department covering the subscription's unit
///   GET  subscriptions/{id}/deliveries         org-department covering the subscription's unit
///   POST …/deliveries/{did}/redelivery         org-department covering the subscription's unit
///
/// No token or a token that does not validate → 401 (with a WWW-Authenticate challenge); a valid token with no role
/// the API knows (none, an unknown one, or a known one spelled otherwise) → 403 on every endpoint that needs a token;
/// a valid token with the wrong role or unit → 403. The allowed cases are sent harmless requests (an invalid body, an
/// existing id, an already started campaign, an unknown objection) so that no row changes what another row sees; each
/// allowed case must answer the status listed in <see cref="Endpoints"/>, which is neither 401 nor 403.
/// </summary>
public sealed class AuthorizationMatrixTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>
{
    const string Ok = "allowed";
    const string NoToken = "none";
    const string Garbage = "garbage";

    /// <summary>Valid tokens at the campaign's county that carry no role the API knows: each gets the "no role" column.</summary>
    static readonly (string Name, string[] Roles)[] RolelessTokens =
    [
        ("no roles", []), ("unknown role", ["admin"]), ("role spelled Org-Department", ["Org-Department"]),
        ("role spelled org_department", ["org_department"]), ("member spelled Member", ["Member"]),
    ];

    // Scopes: "in" = the caller sits where the role is meant to act on the target (the branch itself for a secretary,
    // its township for a reviewer, its county otherwise); "out" = the same place in the sibling county; "prefix" = the
    // same place in a county whose id is the real one minus its last character (chifeng.hong for chifeng.hongshan: a
    // string prefix, not an ancestor); "extended" = the real county's id plus a character (chifeng.hongshanx), whose
    // id starts with the campaign's unit without lying below it.
    static readonly string[] Scopes = ["in", "out", "prefix", "extended"];

    /// <summary>The roles in the column order of <see cref="Table"/>.</summary>
    static readonly string[] RoleColumns =
        [Roles.BranchSecretary, Roles.TownshipReviewer, Roles.CountyScorer, Roles.OrgDepartment, Roles.Member];

    // The expected answers. "ok" = allowed (the endpoint's harmless status below), else 401 or 403.
    // The "out of scope" columns apply to the "prefix" and "extended" scopes as well.
    //
    //   endpoint                     in scope: secretary township county org member | out of scope: same | none | garbage | no role
    static readonly (string Endpoint, string InScope, string OutOfScope, string None, string Garbage, string NoRole)[] Table =
    [
        ("GET schema",                   "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("GET ratings",                  "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("GET keys",                     "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("GET signed ratings",           "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("GET honours",                  "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET branch honours",           "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET public honour",            "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("GET public honour qr.png",     "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("GET public honour qr.svg",     "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "ok",  "ok",  "ok"),
        ("PUT units",                    "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST units import",            "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET inbox",                    "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "401", "401", "403"),
        ("GET unit",                     "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET campaigns",                "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "401", "401", "403"),
        ("POST campaigns",               "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET campaign",                 "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST start",                   "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET self-assessment schema",   "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET evaluations",              "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET evaluation",               "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST self-assessment",         "ok  403 403 403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST township-review",         "403 ok  403 403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST county-score",            "403 403 ok  403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST evidence slot",           "ok  403 403 403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST evidence complete",       "ok  403 403 403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET evidence",                 "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST joint veto",              "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST urge",                    "403 ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST deadline extension",      "403 403 ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET appraisal",                "ok  ok  ok  ok  ok",      "403 403 403 403 403",      "401", "401", "403"),
        ("PUT appraisal roster",         "ok  ok  403 403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST appraisal ballot",        "403 403 403 403 ok",      "403 403 403 403 403",      "401", "401", "403"),
        ("POST publication",             "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST rehearsal",               "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST objections",              "ok  ok  ok  ok  ok",      "403 403 403 403 403",      "401", "401", "403"),
        ("GET objections",               "ok  ok  ok  ok  ok",      "403 403 403 403 403",      "401", "401", "403"),
        ("GET objection",                "ok  ok  ok  ok  ok",      "ok  ok  ok  ok  ok",       "401", "401", "403"),
        ("POST objection resolution",    "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST objection resolutions",   "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET audit verification",       "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET honour changes",           "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST honour change",           "403 ok  ok  403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET honour change",            "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST honour change decision",  "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST honour change objection", "ok  ok  ok  ok  ok",      "403 403 403 403 403",      "401", "401", "403"),
        ("POST change objection resolution", "403 403 403 ok  403", "403 403 403 403 403",      "401", "401", "403"),
        ("POST change evidence slot",    "403 ok  ok  403 403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST change evidence complete", "403 ok  ok  403 403",    "403 403 403 403 403",      "401", "401", "403"),
        ("GET change evidence",          "ok  ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET statistics",               "403 ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET export notice",            "403 ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET export published",         "403 ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET export evaluations",       "403 ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET export statistics",        "403 ok  ok  ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST subscription",            "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET subscriptions",            "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET subscription",             "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("DELETE subscription",          "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST subscription secret",     "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("GET subscription deliveries",  "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
        ("POST redelivery",              "403 403 403 ok  403",     "403 403 403 403 403",      "401", "401", "403"),
    ];

    /// <summary>Each endpoint's request, and what an allowed caller gets for it (harmless by construction).</summary>
    static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["GET schema"] = new(HttpMethod.Get, w => "api/schemas/units", null, 200),
        // Ratings are public from the notice on; the campaign is still running.
        ["GET ratings"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/ratings", null, 409),
        ["GET keys"] = new(HttpMethod.Get, w => "api/keys", null, 200),
        // The list is signed at publication; the campaign is still running.
        ["GET signed ratings"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/ratings.jws", null, 409),
        // The register at the branch, which every working role in scope covers; nothing is published: an empty page.
        ["GET honours"] = new(HttpMethod.Get, w => $"api/honours?unit={w.Branch}", null, 200),
        ["GET branch honours"] = new(HttpMethod.Get, w => $"api/units/{w.Branch}/honours", null, 200),
        // The campaign runs: the branch holds no title of it yet.
        ["GET public honour"] = new(HttpMethod.Get, w => $"api/public/honours/{w.Campaign}/{w.Branch}", null, 404),
        ["GET public honour qr.png"] = new(HttpMethod.Get, w => $"api/public/honours/{w.Campaign}/{w.Branch}/qr.png", null, 404),
        ["GET public honour qr.svg"] = new(HttpMethod.Get, w => $"api/public/honours/{w.Campaign}/{w.Branch}/qr.svg", null, 404),
        // A branch under a township that does not exist: allowed callers get 422 (missing parent), nothing is written;
        // the scope check comes before the parent check, so out-of-scope callers get 403.
        ["PUT units"] = new(HttpMethod.Put, w => "api/units",
            w => Json(new
            {
                units = new[] { new { id = w.County.Id + ".zz99.b999", name = "不存在的党支部", kind = "branch" } },
            }), 422),
        // The same as a CSV file: allowed callers get 422 (missing parent, at the file's row 2), nothing is written.
        ["POST units import"] = new(HttpMethod.Post, w => "api/units/import",
            w => $"id,name\n{w.County.Id}.zz99.b999,不存在的党支部\n", 422, "text/csv"),
        // Everyone has an inbox of its own (out of scope: that place's, here empty).
        ["GET inbox"] = new(HttpMethod.Get, w => "api/inbox", null, 200),
        ["GET unit"] = new(HttpMethod.Get, w => $"api/units/{w.Township}", null, 200),
        // Every role gets the list of what it may see (out of scope: the campaigns of its own place, here none).
        ["GET campaigns"] = new(HttpMethod.Get, w => "api/campaigns", null, 200),
        // The running campaign's own definition again: allowed callers get 409 (the id exists).
        ["POST campaigns"] = new(HttpMethod.Post, w => "api/campaigns", w => w.Definition.RequestBody().ToJsonString(), 409),
        ["GET campaign"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}", null, 200),
        // Started already: 409.
        ["POST start"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/start", null, 409),
        ["GET self-assessment schema"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/schemas/self-assessment", null, 200),
        ["GET evaluations"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/evaluations", null, 200),
        ["GET evaluation"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}", null, 200),
        // Invalid bodies: allowed callers get 422 and nothing is raised.
        ["POST self-assessment"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/self-assessment",
            w => "{}", 422),
        ["POST township-review"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/township-review",
            w => "{}", 422),
        ["POST county-score"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/county-score",
            w => "{}", 422),
        // An invalid body: allowed callers get 422 and no slot is made.
        ["POST evidence slot"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/evidence", w => "{}", 422),
        // Well-formed evidence ids that do not exist: 404.
        ["POST evidence complete"] = new(HttpMethod.Post,
            w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/evidence/ev-{new string('0', 32)}/complete", null, 404),
        ["GET evidence"] = new(HttpMethod.Get,
            w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/evidence/ev-{new string('0', 32)}", null, 404),
        // An invalid body: allowed callers get 422 and nothing is vetoed.
        ["POST joint veto"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/vetoes", w => "{}", 422),
        // Invalid bodies at the self-assessment: allowed callers get 422, and nothing is urged or extended.
        ["POST urge"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/urge", w => "{}", 422),
        ["POST deadline extension"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/deadline",
            w => "{}", 422),
        // The campaign holds no members' appraisal: allowed callers get 404 and nothing is written.
        ["GET appraisal"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/appraisal", null, 404),
        ["PUT appraisal roster"] = new(HttpMethod.Put, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/appraisal/roster",
            w => """{"memberCount":5}""", 404),
        ["POST appraisal ballot"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/appraisal/ballots",
            w => """{"choice":"satisfied"}""", 404),
        // Evaluations are unfinished and force is false: 409.
        ["POST publication"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/publication", w => """{"force":false}""", 409),
        // An invalid rehearsal: allowed callers get 422 and nothing is linked.
        ["POST rehearsal"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/rehearsals", w => """{"unityWeight":0}""", 422),
        // A valid objection, but there is no public notice yet: 409.
        ["POST objections"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/objections",
            w => Json(new { branchId = w.Branch, text = "群众反映材料不实" }), 409),
        // None filed yet: an empty list (the organization department's of all, anyone else's of its own).
        ["GET objections"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/objections", null, 200),
        // An objection is shown to the organization department and its filer only; to everyone else it does not exist
        // (404, not 403, so ids cannot be probed). One that does not exist: 404 for all.
        ["GET objection"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/objections/obj-{new string('0', 32)}", null, 404),
        // A well-formed objection id that does not exist: 404.
        ["POST objection resolution"] = new(HttpMethod.Post,
            w => $"api/campaigns/{w.Campaign}/objections/obj-{new string('0', 32)}/resolution",
            w => Json(new { upheld = false, comment = "经核实不属实" }), 404),
        // An id that does not exist: 422 naming it, nothing resolved.
        ["POST objection resolutions"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/objection-resolutions",
            w => Json(new { objectionIds = new[] { $"obj-{new string('0', 32)}" }, upheld = false, comment = "经核实不属实" }), 422),
        ["GET audit verification"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/audit/verify", null, 200),
        // No change proposed yet (and the campaign is not published, so the branch holds no honour): an empty list.
        ["GET honour changes"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/changes", null, 200),
        // Invalid bodies: allowed callers get 422 and nothing is proposed, no slot made.
        ["POST honour change"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/changes", w => "{}", 422),
        ["POST change evidence slot"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/change-evidence",
            w => "{}", 422),
        // Well-formed ids that do not exist: 404.
        ["GET honour change"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/changes/{NoChange}", null, 404),
        ["POST honour change decision"] = new(HttpMethod.Post,
            w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/changes/{NoChange}/decision",
            w => Json(new { approve = false, comment = "证据不足" }), 404),
        ["POST honour change objection"] = new(HttpMethod.Post,
            w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/changes/{NoChange}/objections",
            w => Json(new { text = "请核实" }), 404),
        ["POST change objection resolution"] = new(HttpMethod.Post,
            w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/changes/{NoChange}/objections/obj-{new string('0', 32)}/resolution",
            w => Json(new { upheld = false, comment = "经核实不属实" }), 404),
        ["POST change evidence complete"] = new(HttpMethod.Post,
            w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/change-evidence/ev-{new string('0', 32)}/complete", null, 404),
        ["GET change evidence"] = new(HttpMethod.Get,
            w => $"api/campaigns/{w.Campaign}/honours/{w.Branch}/change-evidence/ev-{new string('0', 32)}", null, 404),
        // Each caller's default unit: the campaign's county, or a township reviewer's own township.
        ["GET statistics"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/statistics", null, 200),
        // The campaign runs: no list under notice yet, none published (409); its evaluations and statistics are there.
        ["GET export notice"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/exports/notice", null, 409),
        ["GET export published"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/exports/published?format=csv", null, 409),
        ["GET export evaluations"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/exports/evaluations", null, 200),
        ["GET export statistics"] = new(HttpMethod.Get, w => $"api/campaigns/{w.Campaign}/exports/statistics?format=csv", null, 200),
        // A URL that is not public (this host is as in Azure): allowed callers get 422 and nothing is stored. The scope is
        // checked before the URL, so callers outside the unit get 403.
        ["POST subscription"] = new(HttpMethod.Post, w => "api/subscriptions",
            w => Json(new { unit = w.County.Id, url = "https://10.0.0.1/hook", types = new[] { "cn.eval.reminder" } }), 422),
        ["GET subscriptions"] = new(HttpMethod.Get, w => $"api/subscriptions?unit={w.County.Id}", null, 200),
        ["GET subscription"] = new(HttpMethod.Get, w => $"api/subscriptions/{w.Subscription}", null, 200),
        // A subscription of its own, deleted by the one allowed caller; a repeated delete answers the same.
        ["DELETE subscription"] = new(HttpMethod.Delete, w => $"api/subscriptions/{w.DoomedSubscription}", null, 204),
        ["POST subscription secret"] = new(HttpMethod.Post, w => $"api/subscriptions/{w.Subscription}/secret", null, 200),
        ["GET subscription deliveries"] = new(HttpMethod.Get, w => $"api/subscriptions/{w.Subscription}/deliveries", null, 200),
        // A well-formed delivery id that does not exist: 404 (the subscription's scope is checked first).
        ["POST redelivery"] = new(HttpMethod.Post,
            w => $"api/subscriptions/{w.Subscription}/deliveries/dlv-20260101000000-{new string('0', 20)}/redelivery", null, 404),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (var row in Table)
        {
            string[] inScope = Cells(row.InScope), outOfScope = Cells(row.OutOfScope);
            for (int i = 0; i < RoleColumns.Length; i++)
                foreach (string scope in Scopes)
                    yield return [row.Endpoint, RoleColumns[i], scope, Expectation(scope == "in" ? inScope[i] : outOfScope[i])];
            yield return [row.Endpoint, NoToken, "-", Expectation(row.None)];
            yield return [row.Endpoint, Garbage, "-", Expectation(row.Garbage)];
            foreach (var (name, _) in RolelessTokens) yield return [row.Endpoint, name, "in", Expectation(row.NoRole)];
        }
    }

    static string[] Cells(string line)
    {
        string[] cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cells.Length != RoleColumns.Length) throw new InvalidOperationException($"'{line}' needs {RoleColumns.Length} cells");
        return cells;
    }

    static string Expectation(string cell) => cell switch
    {
        "ok" => Ok,
        "401" or "403" => cell,
        _ => throw new InvalidOperationException($"unknown cell '{cell}'"),
    };

    [Fact]
    public void The_table_lists_every_route_but_health_and_the_self_tests()
    {
        // Every route the API serves, as the Functions app declares them (HostParityTests: the local host serves the same).
        var routes = JsonDocument.Parse(File.ReadAllText(Repo.FunctionsMetadata)).RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray()).Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .Select(b => b.GetProperty("route").GetString()!).Distinct()
            .Where(r => r is not ("health" or "selftests" or "selftests/{id}" or "selftests/{id}/confirmation"))
            .ToList();
        // campaigns, campaigns/{cid}/objections, …/honours/{branchId}/changes and subscriptions each serve two endpoints: GET
        // (the list) and POST (a new one); subscriptions/{id} serves GET and DELETE.
        Assert.Equal(routes.Count + 5, Table.Length);
        Assert.Equal(Table.Select(t => t.Endpoint).Order(), Endpoints.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Access(string endpoint, string caller, string scope, string expected)
    {
        World w = await WorldAsync(fx);
        Endpoint e = Endpoints[endpoint];
        string? authorization = caller switch
        {
            NoToken => null,
            Garbage => "Bearer not.a-valid.token",
            _ when RolelessTokens.Any(t => t.Name == caller) =>
                "Bearer " + Signed(Claims(w.County.Id, roles: RolelessTokens.Single(t => t.Name == caller).Roles)),
            _ => "Bearer " + TestTokens.For(caller, w.UnitOf(caller, scope)),
        };
        using HttpResponseMessage r = await SendAsync(fx.Http, e, w, authorization);
        string body = await r.Content.ReadAsStringAsync();
        string what = $"{e.Method} {r.RequestMessage?.RequestUri?.PathAndQuery} as {caller}/{scope} answered {(int)r.StatusCode}: {body}";

        switch (expected)
        {
            case "401":
                AssertProblem(r, body, 401, what);
                string challenge = r.Headers.WwwAuthenticate.ToString();
                if (caller == NoToken) Assert.True(challenge == "Bearer", $"challenge '{challenge}' for {what}");
                else Assert.True(challenge.Contains("error=\"invalid_token\"", StringComparison.Ordinal),
                    $"challenge '{challenge}' for {what}");
                break;
            case "403":
                AssertProblem(r, body, 403, what);
                break;
            default:
                Assert.True(r.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), what);
                Assert.True((int)r.StatusCode < 500, what);
                Assert.True(r.IsSuccessStatusCode || r.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
                if (!r.IsSuccessStatusCode) AssertProblem(r, body, (int)r.StatusCode, what);
                Assert.True((int)r.StatusCode == e.AllowedStatus, $"expected {e.AllowedStatus}: {what}");
                break;
        }
    }

    // ---- Forged and malformed tokens, against POST start (org-department of the county; the campaign runs already, so
    // a caller who gets through is answered 409 and nothing changes).

    [Theory]
    [InlineData("valid token (control)", 409)]
    [InlineData("lower-case bearer scheme", 409)]
    [InlineData("roles as one string instead of an array", 409)]
    [InlineData("two roles, one of them org-department", 409)]
    [InlineData("org-department at the city (above the county)", 409)]
    [InlineData("HS256 signed by hand (control for the hand-made tokens)", 409)]
    [InlineData("alg none, no signature", 401)]
    [InlineData("alg none, the original signature kept", 401)]
    [InlineData("expired an hour ago", 401)]
    [InlineData("expired five minutes ago", 401)]
    [InlineData("not valid for another hour", 401)]
    [InlineData("no expiry", 401)]
    [InlineData("wrong issuer", 401)]
    [InlineData("wrong audience", 401)]
    [InlineData("signed with another key", 401)]
    [InlineData("HS512 with the right key", 401)]
    [InlineData("payload tampered (unit changed), signature kept", 401)]
    [InlineData("no unit claim", 401)]
    [InlineData("unit claim not a unit id", 401)]
    [InlineData("unit claim a number", 401)]
    [InlineData("no sub claim", 401)]
    [InlineData("three segments of junk", 401)]
    [InlineData("empty bearer token", 401)]
    [InlineData("Basic scheme", 401)]
    [InlineData("role spelled Org-Department", 403)]
    [InlineData("role spelled org_department", 403)]
    [InlineData("role with surrounding spaces", 403)]
    [InlineData("no roles claim", 403)]
    [InlineData("org-department of the sibling county", 403)]
    public async Task Token_attacks_on_a_protected_endpoint(string token, int expected)
    {
        World w = await WorldAsync(fx);
        string authorization = Authorization(token, w);
        using HttpResponseMessage r = await SendAsync(fx.Http, Endpoints["POST start"], w, authorization);
        string body = await r.Content.ReadAsStringAsync();
        string what = $"{token}: answered {(int)r.StatusCode}: {body}";
        AssertProblem(r, body, expected, what);
        if (expected == 401)
        {
            string challenge = r.Headers.WwwAuthenticate.ToString();
            bool presented = token is not ("empty bearer token" or "Basic scheme");
            Assert.True(presented ? challenge.Contains("error=\"invalid_token\"", StringComparison.Ordinal) : challenge == "Bearer",
                $"challenge '{challenge}' for {what}");
        }
    }

    static string Authorization(string token, World w)
    {
        string county = w.County.Id;
        DateTime now = DateTime.UtcNow;
        return token switch
        {
            "valid token (control)" => "Bearer " + Signed(Claims(county)),
            "lower-case bearer scheme" => "bearer " + Signed(Claims(county)),
            "roles as one string instead of an array" => "Bearer " + Signed(Claims(county, roles: Roles.OrgDepartment)),
            "two roles, one of them org-department" => "Bearer " +
                Signed(Claims(county, roles: new[] { Roles.Member, Roles.OrgDepartment })),
            "org-department at the city (above the county)" => "Bearer " + Signed(Claims("chifeng")),
            "alg none, no signature" => "Bearer " + Segment(new { alg = "none", typ = "JWT" }) + "." + Segment(Payload(county)) + ".",
            "alg none, the original signature kept" => "Bearer " + Segment(new { alg = "none", typ = "JWT" }) + "." +
                Segment(Payload(county)) + "." +
                Signed(Claims(county)).Split('.')[2],
            "expired an hour ago" => "Bearer " + Signed(Claims(county), issuedAt: now.AddHours(-2), expires: now.AddHours(-1)),
            "expired five minutes ago" => "Bearer " + Signed(Claims(county), issuedAt: now.AddHours(-1), expires: now.AddMinutes(-5)),
            "not valid for another hour" => "Bearer " + Signed(Claims(county), issuedAt: now.AddHours(1), expires: now.AddHours(2)),
            "no expiry" => "Bearer " + Signed(Claims(county), withExpiry: false),
            "wrong issuer" => "Bearer " + Signed(Claims(county), issuer: "someone-else"),
            "wrong audience" => "Bearer " + Signed(Claims(county), audience: "another-api"),
            "signed with another key" => "Bearer " + Signed(Claims(county), key: "another-signing-key-of-enough-length-0123456789"),
            "HS256 signed by hand (control for the hand-made tokens)" => "Bearer " + HandSigned("HS256", Payload(county)),
            "HS512 with the right key" => "Bearer " + HandSigned("HS512", Payload(county)),
            "payload tampered (unit changed), signature kept" => "Bearer " + Tampered(Signed(Claims(w.Sibling.Id)), w.Sibling.Id, county),
            "no unit claim" => "Bearer " + Signed(Claims(null)),
            "unit claim not a unit id" => "Bearer " + Signed(Claims(county.ToUpperInvariant())),
            "unit claim a number" => "Bearer " + Signed(Claims(county, unitOverride: 42)),
            "no sub claim" => "Bearer " + Signed(Claims(county, sub: null)),
            "three segments of junk" => "Bearer " + "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl",
            "empty bearer token" => "Bearer ",
            "Basic scheme" => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("org:secret")),
            "role spelled Org-Department" => "Bearer " + Signed(Claims(county, roles: new[] { "Org-Department" })),
            "role spelled org_department" => "Bearer " + Signed(Claims(county, roles: new[] { "org_department" })),
            "role with surrounding spaces" => "Bearer " + Signed(Claims(county, roles: new[] { " org-department " })),
            "no roles claim" => "Bearer " + Signed(ClaimsWithoutRoles(county)),
            "org-department of the sibling county" => "Bearer " + Signed(Claims(w.Sibling.Id)),
            _ => throw new ArgumentOutOfRangeException(nameof(token), token, null),
        };
    }

    static readonly AuthOptions Defaults = new();

    static Dictionary<string, object> Claims(string? unit, object? roles = null, string? sub = "attacker", object? unitOverride = null)
    {
        var claims = new Dictionary<string, object> { ["name"] = "测试", ["roles"] = roles ?? new[] { Roles.OrgDepartment } };
        if (sub is not null) claims["sub"] = sub;
        if (unitOverride is not null) claims["unit"] = unitOverride;
        else if (unit is not null) claims["unit"] = unit;
        return claims;
    }

    static Dictionary<string, object> ClaimsWithoutRoles(string unit) =>
        new() { ["sub"] = "attacker", ["name"] = "测试", ["unit"] = unit };

    static string Signed(Dictionary<string, object> claims, string? issuer = null, string? audience = null, DateTime? issuedAt = null,
        DateTime? expires = null, bool withExpiry = true, string key = TestTokens.SigningKey)
    {
        DateTime iat = issuedAt ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Defaults.Issuer,
            Audience = audience ?? Defaults.Audience,
            IssuedAt = iat,
            NotBefore = iat,
            Expires = withExpiry ? expires ?? iat.AddHours(1) : null,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
                SecurityAlgorithms.HmacSha256),
        };
        // Without this the handler writes a default expiry of its own.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = withExpiry }.CreateToken(descriptor);
    }

    static object Payload(string unit)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = Defaults.Issuer, ["aud"] = Defaults.Audience, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
            ["sub"] = "attacker", ["name"] = "测试", ["roles"] = new[] { Roles.OrgDepartment }, ["unit"] = unit,
        };
    }

    /// <summary>A token signed by hand with the server's own key (the IdentityModel handler wants a longer key for HS512).</summary>
    static string HandSigned(string alg, object payload)
    {
        string signingInput = Segment(new { alg, typ = "JWT" }) + "." + Segment(payload);
        byte[] key = Encoding.UTF8.GetBytes(TestTokens.SigningKey), data = Encoding.UTF8.GetBytes(signingInput);
        byte[] signature = alg == "HS512"
            ? System.Security.Cryptography.HMACSHA512.HashData(key, data)
            : System.Security.Cryptography.HMACSHA256.HashData(key, data);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    static string Segment(object json) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(json));

    /// <summary>The token with its payload's unit replaced, header and signature untouched.</summary>
    static string Tampered(string token, string from, string to)
    {
        string[] parts = token.Split('.');
        JsonNode payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        Assert.Equal(from, payload["unit"]!.GetValue<string>());
        payload["unit"] = to;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    // ---- The shared campaign and helpers.

    static readonly string NoChange = "chg-" + new string('0', 32);

    sealed record Endpoint(HttpMethod Method, Func<World, string> Path, Func<World, string>? Body, int AllowedStatus,
        string ContentType = "application/json");

    sealed record World(TestCounty County, TestCounty Sibling, string Campaign, CampaignDefinition Definition, string Subscription,
        string DoomedSubscription)
    {
        public string Branch => County.Branches[0];
        public string Township => CampaignDriver.TownshipOf(Branch);

        /// <summary>Where a caller of <paramref name="role"/> sits for a scope (see <see cref="Scopes"/>).</summary>
        public string UnitOf(string role, string scope)
        {
            string county = scope switch
            {
                "in" => County.Id,
                "out" => Sibling.Id,
                "prefix" => County.Id[..^1],     // chifeng.hong for chifeng.hongshan
                "extended" => County.Id + "x",   // chifeng.hongshanx for chifeng.hongshan
                _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
            };
            string below = role switch
            {
                // A member belongs to a branch: the campaign's first.
                Roles.BranchSecretary or Roles.Member => Branch[County.Id.Length..],    // .t01.b001
                Roles.TownshipReviewer => Township[County.Id.Length..], // .t01
                _ => "",
            };
            return county + below;
        }
    }

    static readonly PerFixture<World> Worlds = new();

    /// <summary>
    /// One county with a started campaign (periods of 10 minutes, so nothing times out) and a sibling county, per fixture.
    /// </summary>
    static Task<World> WorldAsync(LocalHostFixture fx) => Worlds.GetAsync(fx, () => BuildWorldAsync(fx));

    static async Task<World> BuildWorldAsync(LocalHostFixture fx)
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 2);
        TestCounty sibling = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string id = "authz-" + Guid.NewGuid().ToString("N")[..8];
        CampaignDefinition definition = CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M", "PT10M");
        await driver.CreateAndStartAsync(definition, county.Id, county.Branches.Count);
        return new World(county, sibling, id, definition, await SubscriptionAsync(fx, county.Id), await SubscriptionAsync(fx, county.Id));
    }

    /// <summary>
    /// A subscription of the county, written to its table as the API writes one: this host (as in Azure) takes no URL a test can
    /// offer, and this one (a closed port on loopback) is never connected to. Its secret is sealed under a key of the test's:
    /// nothing here opens it.
    /// </summary>
    static async Task<string> SubscriptionAsync(LocalHostFixture fx, string unit)
    {
        var store = new SubscriptionStore(new EvalTables(fx.Tables, new StorageOptions { TablePrefix = fx.TablePrefix }),
            new SecretSealer(new OutboxBinding(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        var subscription = new Subscription(Subscription.NewId(), unit, "https://127.0.0.1:9/hook", [.. NotificationTypes.All], null,
            new Actor("org@test", "组织部", Roles.OrgDepartment), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await store.AddAsync(subscription, WebhookSecret.New());
        return subscription.Id;
    }

    static string Json(object value) => JsonSerializer.Serialize(value);

    static async Task<HttpResponseMessage> SendAsync(HttpClient http, Endpoint e, World w, string? authorization)
    {
        using var request = new HttpRequestMessage(e.Method, e.Path(w));
        if (e.Body is not null) request.Content = new StringContent(e.Body(w), Encoding.UTF8, e.ContentType);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await http.SendAsync(request);
    }

    static void AssertProblem(HttpResponseMessage r, string body, int status, string what)
    {
        Assert.True((int)r.StatusCode == status, $"expected {status}: {what}");
        Assert.True(r.Content.Headers.ContentType?.MediaType == "application/problem+json", $"expected problem+json: {what}");
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.TryGetProperty("status", out JsonElement s) && s.GetInt32() == status, $"problem status: {what}");
    }
}
