using Hangfire.Dashboard;
using Ingest.Application.People;

namespace Ingest.Host.People;

/// <summary>The Hangfire dashboard admits signed-in ops only, from any address; a local request without sign-in is refused too.</summary>
public sealed class OpsDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Ops);
    }
}
