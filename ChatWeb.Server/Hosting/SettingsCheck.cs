using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Every setting of every options class (a class of ChatWeb with a <c>const string Section</c>) checked against
/// that class before the server is built: a value that does not convert (<c>--Gateway:Port=abc</c>), is out of
/// range, is not one of an enum's names or fails the class's own rules becomes one line naming the key, the value
/// given and what is allowed. Without it the options binder and ValidateOnStart throw a stack trace each, some
/// only on first use, long after the ports are open. ValidateOnStart stays on every class as the second net.
/// </summary>
public static class SettingsCheck
{
    /// <summary>One line about the first setting that cannot be used, or null when all can.</summary>
    public static string? FindProblem(IConfiguration configuration)
    {
        foreach (var (section, type) in OptionsClasses())
        {
            if (Check(configuration.GetSection(section), type).Problem is { } problem) return problem;
        }
        return CheckUrls(configuration.GetSection("urls")) ?? CheckDataDirectory(configuration.GetSection($"{DataDirectoryOptions.Section}:{nameof(DataDirectoryOptions.DataDirectory)}"));
    }

    /// <summary>
    /// A data directory that cannot be made (a file in the way, no permission) is a bad setting here, not an
    /// exception inside the logger's construction. Nothing is created: the nearest folder that exists must take a
    /// new file (probed with one, deleted at once), as it must for the data directory or its first missing folder.
    /// </summary>
    private static string? CheckDataDirectory(IConfigurationSection setting)
    {
        var path = setting.Value is { Length: > 0 } configured ? configured : new DataDirectoryOptions().DataDirectory;
        try
        {
            var existing = Path.GetFullPath(path);
            while (!Directory.Exists(existing))
            {
                if (File.Exists(existing)) throw new IOException($"{existing} is a file");
                existing = Path.GetDirectoryName(existing) ?? throw new IOException("no folder of it exists");
            }
            var probe = Path.Combine(existing, $".chatweb-probe-{Guid.NewGuid():N}.tmp");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return OneLine($"setting {setting.Path} is '{path}'; allowed: a folder ChatWeb can create and write ({ex.Message}).");
        }
    }

    /// <summary>Kestrel's addresses (<c>--urls</c>, ASPNETCORE_URLS): not an options class of ours, but read at start-up like one.</summary>
    private static string? CheckUrls(IConfigurationSection urls)
    {
        if (string.IsNullOrWhiteSpace(urls.Value)) return null;
        foreach (var url in urls.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var address = BindingAddress.Parse(url);
                if (address.IsUnixPipe || address.IsNamedPipe) continue;
                // "http://127.0.0.1:notaport" parses as the host "127.0.0.1:notaport" on port 80, and Kestrel takes a host
                // it cannot resolve as "every interface": a typo must not open the server to the network.
                var plainHost = !address.Host.Contains(':') || (address.Host.StartsWith('[') && address.Host.EndsWith(']'));
                if (plainHost && address.Port is >= 0 and <= 65535) continue;
            }
            catch (FormatException)
            {
            }
            return Problem(urls, "addresses such as http://0.0.0.0:8080 or http://[::]:8080, separated by ';'");
        }
        return null;
    }

    internal static IEnumerable<(string Section, Type Type)> OptionsClasses() =>
        from type in typeof(SettingsCheck).Assembly.GetTypes()
        let field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where type.IsClass && !type.IsAbstract && field is { IsLiteral: true } && field.FieldType == typeof(string)
        orderby type.FullName
        select ((string)field.GetRawConstantValue()!, type);

    private static (object? Instance, string? Problem) Check(IConfigurationSection section, Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var child = section.GetSection(property.Name);
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsSimple(valueType))
            {
                // Not set: the default in code stays. Empty is null for a nullable (JSON null reads as empty); for
                // anything else the binder refuses it, or (a string) binds it and the rules judge it.
                if (child.Value is null || (child.Value.Length == 0 && property.PropertyType != valueType)) continue;
                if (!TryConvert(child.Value, valueType, out var value)) return (null, Problem(child, Allowed(property, valueType)));
                if (property.GetCustomAttributes<ValidationAttribute>().Any(rule => !Passes(rule, value)))
                    return (null, Problem(child, Allowed(property, valueType)));
                property.SetValue(instance, value);
            }
            else if (valueType.IsArray && IsSimple(valueType.GetElementType()!))
            {
                var elementType = valueType.GetElementType()!;
                var items = child.GetChildren().ToList();
                var array = Array.CreateInstance(elementType, items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    if (!TryConvert(items[i].Value ?? "", elementType, out var item)) return (null, Problem(items[i], Describe(elementType)));
                    array.SetValue(item, i);
                }
                // The list's own rule (each entry an origin, each an address) is judged on the whole list.
                foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
                {
                    var result = rule.GetValidationResult(array, new ValidationContext(instance) { MemberName = property.Name });
                    if (result != ValidationResult.Success) return (null, OneLine($"setting {child.Path}: {result?.ErrorMessage}"));
                }
                if (items.Count > 0) property.SetValue(instance, array);
            }
            else if (valueType.IsClass && valueType.GetConstructor(Type.EmptyTypes) is not null)
            {
                if (!child.Exists()) continue;
                var (nested, problem) = Check(child, valueType);
                if (problem is not null) return (null, problem);
                property.SetValue(instance, nested);
            }
        }

        if (instance is IValidatableObject validatable
            && validatable.Validate(new ValidationContext(instance)).FirstOrDefault() is { ErrorMessage: { } message })
            return (null, OneLine(message));
        return (instance, null);
    }

    private static bool Passes(ValidationAttribute rule, object? value)
    {
        try
        {
            return rule.IsValid(value);
        }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException or FormatException or ArgumentException)
        {
            // A rule that cannot even compare the value (an int Range given 1e300) does not accept it.
            return false;
        }
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static bool TryConvert(string text, Type type, out object? value)
    {
        value = null;
        if (type == typeof(string))
        {
            value = text;
            return true;
        }
        try
        {
            value = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException or OverflowException or UriFormatException)
        {
            return false;
        }
        // The enum converter also takes numbers and comma lists; only the names are settings.
        return value is not null && (!type.IsEnum || Enum.IsDefined(type, value));
    }

    private static string Problem(IConfigurationSection setting, string allowed) =>
        OneLine($"setting {setting.Path} is '{setting.Value}'; allowed: {allowed}.");

    private static string Allowed(PropertyInfo property, Type type)
    {
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            var kind = type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "a number" : "a whole number";
            var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
            return max >= int.MaxValue
                ? $"{kind}, {Format(range.Minimum)} or more"
                : $"{kind} from {Format(range.Minimum)} to {Format(range.Maximum)}";
        }
        if (property.GetCustomAttribute<RequiredAttribute>() is not null && type == typeof(string)) return "any text that is not empty";
        return Describe(type);
    }

    private static string Describe(Type type) =>
        type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(name => name.ToLowerInvariant()))
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(TimeSpan) ? "a time span such as 00:00:30"
        : "a " + type.Name;

    private static string Format(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    // One line even when the value given holds line breaks (an environment variable can).
    private static string OneLine(string text) => LogValueEscaping.Escape(text);
}
