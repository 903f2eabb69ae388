export { Broadcast, type BroadcastOptions, type SubscribeOptions } from './broadcast';
export { Subscription } from './subscription';
export { BroadcastUrlError, NotConnectedError, RedisConnectionError, RedisUnavailableError, SlowSubscriberError } from './errors';
