'use strict';
// Defect: the account document (GET /) always advertises `https://host:port/` as the readable and
// writable location, even when the server is plain HTTP. With LimitToEndpoint = true the .NET SDK
// ignores these, but other clients (or LimitToEndpoint = false) would switch to https and fail.
// This patch advertises the scheme the server actually speaks (set by server.js).

const { lib } = require('./_internals');

module.exports = function apply({ scheme = 'http' } = {}) {
  const accountModule = lib('account');
  const Original = accountModule.default;
  class Account extends Original {
    constructor(host, port) {
      super(host, port);
      const data = this.read();
      for (const loc of [...data.writableLocations, ...data.readableLocations]) {
        loc.databaseAccountEndpoint = `${scheme}://${host}:${port}/`;
      }
    }
  }
  accountModule.default = Account;
};
