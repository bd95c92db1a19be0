/** Exemptions: accepted risks that suppress findings until they expire or are deleted. */
export * from './exemption';
export * from './service';
export * from './active-exemptions';
export * from './sweep-handler';
