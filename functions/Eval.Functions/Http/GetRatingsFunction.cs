using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetRatingsFunction(RatingHandlers handlers)
{
    [Function("GetRatings")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Ratings)] HttpRequest req,
        string cid) =>
        handlers.GetAsync(req, cid);
}
