'use strict';
// Defect: the SQL engine (@zeit/cosmosdb-query 0.7.2) only accepts the two-argument forms of
// CONTAINS, STARTSWITH and ENDSWITH and rejects the optional third `ignoreCase` argument with
// 400 "requires 2 argument(s)". The .NET LINQ provider emits that argument for
// `s.Contains(x, StringComparison.OrdinalIgnoreCase)` / StartsWith / EndsWith. This patch
// replaces the three functions with versions accepting `(string, string [, boolean])`.

const { queryLib } = require('./_internals');

const builtins = queryLib('builtin-functions');
const { SyntaxError: QuerySyntaxError } = queryLib();

function define(name, test) {
  return (...a) => {
    if (a.length < 2 || a.length > 3) {
      throw new QuerySyntaxError(`The ${name} function requires 2 or 3 argument(s)`);
    }
    const [s, sub, ignoreCase] = a;
    if (typeof s !== 'string' || typeof sub !== 'string') return undefined;
    if (a.length === 3 && typeof ignoreCase !== 'boolean') return undefined;
    return ignoreCase ? test(s.toLowerCase(), sub.toLowerCase()) : test(s, sub);
  };
}

module.exports = function apply() {
  builtins.CONTAINS = define('CONTAINS', (s, x) => s.includes(x));
  builtins.STARTSWITH = define('STARTSWITH', (s, x) => s.startsWith(x));
  builtins.ENDSWITH = define('ENDSWITH', (s, x) => s.endsWith(x));
};
