using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Ingest.Host.Tests.Architecture;

/// <summary>
/// The front ends (pages, endpoints, verbs) read through the stores but write only through a use case, which validates,
/// checks access and writes the audit line: every call from the Host's compiled code into a store is read from its IL
/// and must be a read, or one of the few adapters named here that are not front ends.
/// </summary>
public class FrontEndWriteTests
{
    /// <summary>What a read is called in the stores.</summary>
    private static readonly string[] Reads = ["List", "Find", "Read", "Load", "Get", "Count", "Exists", "Open", "Probe", "get_", "Search", "Current", "History", "AllUnfinished"];

    /// <summary>Writes from the Host that are not a page, an endpoint or a verb, each with why it may write.</summary>
    private static readonly Dictionary<string, string> Adapters = new(StringComparer.Ordinal)
    {
        ["Ingest.Host.People.PostgresKeyRepository -> KeyRingStore.Add"] = "Data Protection's key ring: the framework stores its keys through it",
        ["Ingest.Host.People.PeopleServiceCollectionExtensions -> AccountStore.SessionOpenAsync"] = "the sign-in cookie's events record the session",
        ["Ingest.Host.People.TokenAuthenticationHandler -> TokenStore.TouchAsync"] = "token sign-in stamps the token's last use",
        ["Ingest.Host.Documents.PdfPrinter -> PrintedFormStore.KeepAsync"] = "a cache of printed bytes by digest; no record changes",
    };

    [Fact]
    public void Pages_endpoints_and_verbs_write_only_through_a_use_case()
    {
        using var host = AssemblyDefinition.ReadAssembly(typeof(IngestWebHost).Assembly.Location);
        var writes = host.MainModule.GetTypes()
            .SelectMany(t => t.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions.Select(i => (Type: t, Instruction: i))))
            .Where(x => x.Instruction.OpCode.Code is Code.Call or Code.Callvirt && x.Instruction.Operand is MethodReference)
            .Select(x => (Caller: Outermost(x.Type).FullName, Method: (MethodReference)x.Instruction.Operand))
            .Where(x => x.Method.DeclaringType.Namespace.StartsWith("Ingest.Data", StringComparison.Ordinal)
                        && x.Method.DeclaringType.Name.EndsWith("Store", StringComparison.Ordinal)
                        && !Reads.Any(r => x.Method.Name.StartsWith(r, StringComparison.Ordinal)))
            .Select(x => $"{x.Caller} -> {x.Method.DeclaringType.Name}.{x.Method.Name}")
            .Where(call => !Adapters.ContainsKey(call))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        writes.ShouldBeEmpty("a page, endpoint or verb writes through a store, not a use case");
    }

    private static TypeDefinition Outermost(TypeDefinition type) => type.DeclaringType is { } outer ? Outermost(outer) : type;
}
