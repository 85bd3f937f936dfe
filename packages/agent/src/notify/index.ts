// Notifications (guide §9): message codes with delay/repeat throttling, SMTP and webhook transports.
export { Notifier, type Delivery, type NotifierOptions } from './notifier';
export { descriptionOf, payloadOf, subjectOf, textOf, type Message, type Server } from './message';
export { answers, Throttle, timingOf, type Due, type Timing } from './throttle';
export { transportsOf, type Transport } from './transport';
