package bot

// Metrics receives what the bot does, for monitoring. (Being designed: see issue 7.)
type Metrics interface{}
