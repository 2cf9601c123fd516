using System.Xml.Linq;
using Ingest.Data.People;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ingest.Host.People;

/// <summary>
/// Data Protection's key ring in PostgreSQL (<see cref="KeyRingStore"/>), so that every host of the service signs and
/// reads the same cookies and antiforgery tokens.
/// </summary>
public sealed class PostgresKeyRepository(KeyRingStore keys) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => keys.ReadAll().Select(XElement.Parse).ToArray();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        keys.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}
