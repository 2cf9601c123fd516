// Ingest: one executable for the service (no verb, or `serve`) and its command-line verbs
// (`migrate`, `ingest`, `runs`, `facts`). See README.md.
return await Ingest.Host.Cli.IngestCli.RunAsync(args);
