// fabric-contract-api logs every decorator at info level as its module loads: in-process that is
// noise in the API's and worker's output. A real peer sets CORE_CHAINCODE_LOGGING_LEVEL itself.
// Imported before the contract so the setting is in place when its loggers are created.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';
