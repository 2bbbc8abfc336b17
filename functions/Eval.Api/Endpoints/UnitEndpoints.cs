using Eval.Api.Handlers;
using Eval.Application.Units;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Eval.Api.Endpoints;

/// <summary>The org tree: city → county/banner → township/sumu/street → branch.</summary>
public static class UnitEndpoints
{
    public static RouteGroupBuilder MapUnits(this RouteGroupBuilder api)
    {
        api.MapPut("units", (HttpRequest req, UnitHandlers h) => h.PutAsync(req))
            .WithName("PutUnits").WithTags("Units").WithSummary("Upsert part of the org tree")
            .WithDescription("Parents must exist or come in the same request; each unit's kind must agree with the depth of its id.")
            .RequiresToken("org-department, for units at or below its unit", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Units).Produces<UnitsUpserted>();
        api.MapPost("units/import", (HttpRequest req, UnitHandlers h) => h.ImportAsync(req))
            .WithName("ImportUnits").WithTags("Units").WithSummary("Upsert the org tree, or part of it, from a CSV or XLSX file")
            .WithDescription("The body is the file: text/csv (UTF-8, a BOM accepted) or an XLSX workbook (its first sheet). The " +
                "first row names the columns, in Chinese or English: 单位编码/id, 名称/name, 上级编码/parentId (must be " +
                "the id's parent), 类型/kind (optional: by the id's depth), 分类/category (branches only); kinds and categories " +
                "may be given by their " +
                "Chinese names. Every row is checked, parents in the same file included, before anything is written: errors are " +
                "a 422 at /rows/{row}/{column}, the row as a spreadsheet numbers it (the header is row 1), and then nothing is " +
                "written. 413 over Units__MaxImportBytes (4 MiB) or Units__MaxImportRows (20,000 rows); 415 for another media type.")
            .RequiresToken("org-department, for units at or below its unit", Roles.OrgDepartment)
            .Accepts<string>(UnitSheet.Csv, UnitSheet.Xlsx).AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The file as the document shows it: CSV text, an XLSX workbook's bytes; an example of each.
                if (operation.RequestBody?.Content is { } content)
                {
                    if (content.TryGetValue(UnitSheet.Csv, out OpenApiMediaType? csv))
                        csv.Examples = new Dictionary<string, IOpenApiExample>
                        {
                            ["tree"] = new OpenApiExample
                            {
                                Summary = "A county, a township and a branch, headers in Chinese", Value = CsvExample,
                            },
                        };
                    if (content.TryGetValue(UnitSheet.Xlsx, out OpenApiMediaType? xlsx))
                    {
                        xlsx.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                        xlsx.Examples = new Dictionary<string, IOpenApiExample>
                        {
                            ["workbook"] = new OpenApiExample
                            {
                                Summary = "A workbook whose first sheet holds the same columns and rows as the CSV example",
                                Value = "(the bytes of an .xlsx file)",
                            },
                        };
                    }
                }
                return Task.CompletedTask;
            })
            .Produces<UnitsUpserted>().BodyProblems();
        api.MapGet("units/{id}", (HttpRequest req, string id, UnitHandlers h) => h.GetAsync(req, id))
            .WithName("GetUnit").WithTags("Units").WithSummary("A unit and its children")
            .RequiresToken("a working role (not member) at, above or below the unit", Roles.Working.ToArray())
            .Produces<UnitView>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    const string CsvExample = "单位编码,名称,上级编码,类型,分类\n" +
        "chifeng.yuanbaoshan,元宝山区,chifeng,旗县区,\n" +
        "chifeng.yuanbaoshan.t01,元宝山区第1街道,chifeng.yuanbaoshan,苏木乡镇,\n" +
        "chifeng.yuanbaoshan.t01.b001,元宝山区第1街道第1社区党支部,chifeng.yuanbaoshan.t01,党支部,社区\n";
}
