export { quietUntil } from './quiet-hours';
export { atWallClock, localDate, localMinuteOfDay, offsetMinutes } from './zone-clock';
