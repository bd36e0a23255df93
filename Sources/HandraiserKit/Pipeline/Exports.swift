// The umbrella module: one import gives the executable and library users every stage.
@_exported import HandraiserClassification
@_exported import HandraiserEvaluation
@_exported import HandraiserHeuristics
@_exported import HandraiserInput
@_exported import HandraiserMatching
@_exported import HandraiserModel
@_exported import HandraiserOutput
@_exported import HandraiserReplies
@_exported import HandraiserRules
