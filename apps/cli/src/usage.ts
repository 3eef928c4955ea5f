/** What `checkwire` takes, printed after `usage:` for a command it does not know. */
export const USAGE = `checkwire tokens create --name NAME --role admin|check_runner|blue|red|green|lc_gateway|scheduler
                        [--team ID] [--subtype S]... [--service ID]...
checkwire tokens list [--all]
checkwire tokens revoke ID
checkwire whoami
checkwire apply -f FILE [--dry-run] [--json]  (make the competition match a competition file)
checkwire export [-o FILE] [--json]           (the competition as a file apply takes back)
checkwire scoreboard [--rounds N] [--services] [--json|--csv] [--watch]
                                              (what your token may see; --watch: again at each change)
checkwire adjust --team ID --points N --reason TEXT        (± points, on the record)
checkwire flip --service ID --round N|TIME --reason TEXT   (a round's result the other way)
checkwire rescore --round N|TIME --reason TEXT     (a past round counted again under the rules now)
checkwire audit [--limit N] [--json]                       (who changed what, newest first)
checkwire pcr request --service ID --password P [--username U]   (a blue team's new credentials)
checkwire pcr request --pool ID|NAME --username U --password P   (a pool entry's new password)
checkwire pcr list [--state pending|applied|rejected] [--json]
checkwire pcr approve ID [--reason TEXT]
checkwire pcr reject ID --reason TEXT
checkwire scores [--service ID] [--format csv|json] [-o FILE]   (every score you may see, with its round)
checkwire teams [list] [--json]                            (with how many services you may see)
checkwire teams get ID|NAME [--json]                       (one team and its services)
checkwire services [list] [--team ID] [--json]             (passwords never shown: only "(set)")
checkwire services get ID [--json]
checkwire errors [--team ID] [--service ID] [--subtype S] [--kind timeout|content|credentials|connection|other|no_runner]
                 [--since TIME] [--until TIME] [--limit N] [--json]   (newest first; TIME: 2026-12-01T10:00:00Z)
checkwire bootstrap                           (the first admin token, on a database without tokens)
checkwire bootstrap --new-admin [--name NAME] (one more admin token, when yours is lost)`;
