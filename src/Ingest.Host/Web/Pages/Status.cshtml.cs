using Ingest.Application.People;
using Ingest.Host.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Web.Pages;

/// <summary>
/// What a person sees when a page cannot be shown: not found, refused, or failed, in Chinese, inside the site's layout with
/// its menu, and the way back. A request to the API gets the same answer as a problem in JSON, never a page.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusModel(Navigation navigation) : PageModel
{
    public string Title { get; private set; } = string.Empty;

    public string Message { get; private set; } = string.Empty;

    public string Home { get; private set; } = "/signin";

    public bool SignedIn { get; private set; }

    public IActionResult OnGet(int code) => Answer(code);

    public IActionResult OnPost(int code) => Answer(code);

    private IActionResult Answer(int code)
    {
        // Only the statuses this page describes; any other address under it is itself not found.
        code = code is 400 or 403 or 404 or 405 or 413 or 429 or 500 or 503 ? code : StatusCodes.Status404NotFound;
        var caller = User.Identity?.IsAuthenticated == true ? HttpCaller.Of(HttpContext) : null;
        SignedIn = caller is not null;
        Home = caller is null ? "/signin" : navigation.Home(caller);
        (Title, Message) = code switch
        {
            403 => ("无权访问", caller is null
                ? "请先登录。"
                : $"{caller.Name}（{Roles.Title(caller.Role)}）不能打开此页面：它不在本账号的角色或范围之内。请从菜单进入本账号能查看的页面。"),
            404 => ("找不到此页面", "地址中的页面、年度或机构不存在。请从菜单进入，或检查地址是否输错。"),
            400 => ("请求有误", "请求的内容无法读取。请回到上一页重新填写后再提交。"),
            405 => ("无法这样打开此页面", "此地址只接受表单提交。请从菜单进入。"),
            413 => ("文件太大", "上传的文件超过了允许的大小。请缩小文件后重新上传。"),
            429 => ("请求过于频繁", "请稍候片刻再试。"),
            503 => ("服务暂时不可用", "服务正忙或正在维护，请稍后再试。"),
            _ => ("服务出错", "服务未能完成此请求，已记录以便运维人员排查。请稍后再试；如仍出错，请联系运维人员。"),
        };
        Response.StatusCode = code;
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath;
        if (original is not null && PeopleServiceCollectionExtensions.IsApi(new PathString(original)))
        {
            return new ObjectResult(new ProblemDetails { Status = code, Title = Title, Detail = Message }) { StatusCode = code, ContentTypes = { "application/problem+json" } };
        }

        return Page();
    }
}
