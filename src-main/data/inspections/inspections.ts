// Inspections read from the server with the seat's token (inspections-client.ts keeps the last
// answers for offline use): one client per opened seat.
import { SeatSlot } from '../seat-slot';
import type { DataService } from '../data-service';
import { InspectionsClient } from '../inspections-client';

export class InspectionsFeature {
  private readonly clients = new SeatSlot(() => new InspectionsClient(this.core.seatClient(15_000)));

  constructor(private readonly core: DataService) {}

  /** The open seat's client (coverage, orders, place flags, regrades and decisions). */
  client(): InspectionsClient {
    return this.clients.of(this.core.require().cache);
  }
}
