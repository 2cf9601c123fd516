using Hangfire.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Ingest.Host.Scheduling;

/// <summary>
/// Hangfire's log provider is a process-wide static. Its ASP.NET Core provider binds it to one host's
/// LoggerFactory, and once that host is disposed every Hangfire logger of every other host in the process
/// throws ObjectDisposedException (workers then back off and jobs sit enqueued). This bridge forwards each
/// message to the newest host's factory that is still alive, and drops it when there is none.
/// </summary>
internal sealed class HangfireLogBridge : ILogProvider
{
    public static readonly HangfireLogBridge Instance = new();

    private readonly Lock gate = new();
    private readonly List<ILoggerFactory> factories = [];

    private HangfireLogBridge()
    {
    }

    /// <summary>Makes <paramref name="factory"/> the one Hangfire logs to, until it is disposed.</summary>
    public HangfireLogBridge Attach(ILoggerFactory factory)
    {
        lock (gate)
        {
            factories.Add(factory);
        }

        return this;
    }

    public ILog GetLogger(string name) => new ForwardingLog(this, name);

    private bool Write(string name, Hangfire.Logging.LogLevel level, Func<string>? message, Exception? exception)
    {
        while (true)
        {
            ILoggerFactory? factory;
            lock (gate)
            {
                factory = factories.Count == 0 ? null : factories[^1];
            }

            if (factory is null)
            {
                return false;
            }

            try
            {
                var logger = factory.CreateLogger(name);
                var msLevel = Map(level);
                if (message is null)
                {
                    return logger.IsEnabled(msLevel);
                }

                if (logger.IsEnabled(msLevel))
                {
#pragma warning disable CA2254 // Hangfire hands over finished text, not a template.
                    logger.Log(msLevel, exception, message());
#pragma warning restore CA2254
                }

                return true;
            }
            catch (ObjectDisposedException)
            {
                lock (gate)
                {
                    factories.Remove(factory);
                }
            }
        }
    }

    private static MsLogLevel Map(Hangfire.Logging.LogLevel level) => level switch
    {
        Hangfire.Logging.LogLevel.Trace => MsLogLevel.Trace,
        Hangfire.Logging.LogLevel.Debug => MsLogLevel.Debug,
        Hangfire.Logging.LogLevel.Info => MsLogLevel.Information,
        Hangfire.Logging.LogLevel.Warn => MsLogLevel.Warning,
        Hangfire.Logging.LogLevel.Error => MsLogLevel.Error,
        _ => MsLogLevel.Critical,
    };

    private sealed class ForwardingLog(HangfireLogBridge bridge, string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) =>
            bridge.Write(name, logLevel, messageFunc, exception);
    }
}
