export { EtcdWitness, type Take, type WitnessReport, type WitnessSettings } from './etcd-witness';
