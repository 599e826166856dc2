using System.Xml.Linq;
using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The Data Protection key ring in &lt;data&gt;/keys, readable by the server's user only. The keys are not
/// encrypted at rest (no XML encryptor is configured): whoever reads them can forge sign-in cookies and
/// tokens and decrypt the stored IPs, so the folder is 0700 and every key file 0600.
/// </summary>
internal sealed class PrivateKeyRepository : IXmlRepository
{
    private readonly string _folder;
    private readonly FileSystemXmlRepository _files;

    public PrivateKeyRepository(string folder, ILoggerFactory loggers)
    {
        _folder = folder;
        // Made before the file repository sees it, which would otherwise create it with the default mode.
        PrivateFiles.CreateFolder(folder);
        _files = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        // The repository writes with the process's default mode; in a 0700 folder nobody else could open it
        // meanwhile, and now the file itself says so too.
        foreach (var key in Directory.EnumerateFiles(_folder, "*.xml")) PrivateFiles.NarrowFile(key);
    }
}
